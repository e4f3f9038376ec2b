// Serves the admin app with SCIM on loopback, connected as the runtime role, over a fresh,
// migrated test database (the example policy plus a Team selecting by SCIM attributes, so
// every write runs the selector recompute), for the conformance suite
// (.ci/scim-conformance.sh). Prints one JSON line {"url","token"}; on SIGTERM closes and
// drops the database.
import pino from 'pino';
import { buildAdminApp } from '../../../src/admin/admin-app.ts';
import { connectPostgres } from '../../../src/db/connect-postgres.ts';
import { syncResources } from '../../../src/policy/apply-resources.ts';
import { loadResourceFolder, parseResources } from '../../../src/policy/load-resource-folder.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../../src/reports/exports/export-config.schema.ts';
import { createTestDatabase } from '../../support/test-database.ts';

const token = process.env.STIPEND_SCIM_TEST_TOKEN ?? 'conformance-token-0123456789abcdef';
const database = await createTestDatabase();
const examples = await loadResourceFolder(new URL('../../../examples', import.meta.url).pathname);
const selected = parseResources(
  `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: provisioned, namespace: acme }
spec:
  costCenter: CC-ENG-001
  memberSelector: { groups: [ai-pilot] }
`,
  'conformance.yaml',
);
await syncResources(database.handle.db, [...examples, ...selected]);
const logLines: string[] = [];
// As in a cluster: the admin process connects as the runtime role.
const runtime = connectPostgres({ connectionString: database.runtimeUrl, maxConnections: 8 });
const app = buildAdminApp({
  db: runtime.db,
  adminTokens: ['conformance-admin-0123456789abcdef'],
  exportConfig: DEFAULT_EXPORT_CONFIG,
  logger: pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) }),
  scim: { tokens: [token], baseUrl: undefined, jobLevel: { from: 'title' } },
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: `${address}/scim/v2`, token })}\n`);

const stop = async () => {
  await app.close();
  await runtime.close();
  await database.drop();
  for (const line of logLines) process.stderr.write(line);
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
