// Runs inside the image (.ci/image.sh mounts this folder at /app/test/image): writes the
// image's own example policy into STIPEND_DATABASE_URL through the functions the operator
// calls, so the gateway under test has people, budgets and model policies.
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';

const url = process.env.STIPEND_DATABASE_URL;
if (!url) throw new Error('STIPEND_DATABASE_URL is not set');
const handle = connectPostgres({ connectionString: url, applicationName: 'stipend-image-seed', maxConnections: 1 });
try {
  const report = await syncResources(handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  process.stdout.write(`applied ${report.applied} resources\n`);
} finally {
  await handle.close();
}
