// A leaver (SCIM PATCH active:false, then DELETE) → 401 on two `stipend gateway` processes on
// one Postgres, measured from the request; a plain key revocation measured the same way is the
// floor (the path leavers ride on: a NOTIFY and a policy reload on each replica). The target:
// within a second everywhere (DESIGN.md). test/identity/leaver-two-gateways.test.ts checks
// that it happens; the time is measured here.
import { connectPostgres } from '../src/db/connect-postgres.ts';
import { createApiKey, revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { startMockProvider } from '../src/mock-provider/mock-provider.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import { ENTERPRISE, patchOp, scimApp, USER } from '../test/identity/support/scim-app.ts';
import { startGatewayProcess } from '../test/support/gateway-process.ts';
import { untilAll } from '../test/support/until-all-replicas.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { percentile } from './load.ts';

export interface LeaverResult {
  readonly leaver: readonly number[];
  readonly deleted: readonly number[];
  readonly floor: readonly number[];
}

export async function benchLeaver(rounds: number): Promise<LeaverResult> {
  const t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../examples', import.meta.url).pathname));
  const mock = await startMockProvider({});
  const env = { STIPEND_DATABASE_URL: t.runtimeUrl, OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${mock.url}/v1` };
  const gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  const runtime = connectPostgres({ connectionString: t.runtimeUrl, maxConnections: 4 });
  const s = scimApp(runtime.db);
  try {
    const created = await s.request('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: 'leaver@acme.example', [ENTERPRISE]: { department: 'Engineering' } });
    const id = created.json().id;
    const { key } = await createApiKey(t.handle.db, 'leaver@acme.example');
    await untilAll(gateways, key, 200, performance.now());
    const leaver: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      await s.request('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
      leaver.push(...(await untilAll(gateways, key, 401, start)));
      await s.request('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }));
      await untilAll(gateways, key, 200, performance.now());
    }
    const start = performance.now();
    await s.request('DELETE', `/Users/${id}`);
    const deleted = await untilAll(gateways, key, 401, start);
    const floor: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const other = (await createApiKey(t.handle.db, 'grace@acme.example')).key;
      await untilAll(gateways, other, 200, performance.now());
      const begin = performance.now();
      await revokeApiKeys(t.handle.db, { key: other });
      floor.push(...(await untilAll(gateways, other, 401, begin)));
    }
    return { leaver, deleted, floor };
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await s.app.close();
    await runtime.close();
    await mock.close();
    await t.drop();
  }
}

export function leaverReport(r: LeaverResult): string[] {
  const ms = (xs: readonly number[]) => `p50 ${Math.round(percentile([...xs], 50))} ms, max ${Math.round(Math.max(...xs))} ms`;
  return [
    'A leaver → 401 on two gateway processes (from the SCIM request; target: under 1,000 ms):',
    `  PATCH active:false ${ms(r.leaver)}; DELETE ${ms(r.deleted)}; floor (key revocation) ${ms(r.floor)}`,
  ];
}

if (import.meta.main) {
  process.stdout.write(leaverReport(await benchLeaver(Number(process.argv[2] ?? 5))).join('\n') + '\n');
}
