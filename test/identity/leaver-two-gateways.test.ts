// A leaver loses access on every replica: two `stipend gateway` processes on one Postgres,
// a SCIM PATCH active:false (and a DELETE), until both answer 401 (and 200 again when the
// person comes back). How fast — the target is a second — is measured by `npm run bench`
// (bench/leaver-to-401.ts, with a plain key revocation as the floor).
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { startMockProvider, type MockProvider } from '../../src/mock-provider/mock-provider.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
import { untilAll } from '../support/until-all-replicas.ts';
import { ENTERPRISE, patchOp, scimApp, USER, type ScimApp } from './support/scim-app.ts';

let t: TestDatabase;
let mock: MockProvider;
let gateways: GatewayProcess[] = [];
let s: ScimApp;
let runtime: DbHandle;

beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  mock = await startMockProvider({});
  // Every process connects as the runtime role, as in a cluster.
  const env = { STIPEND_DATABASE_URL: t.runtimeUrl, OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${mock.url}/v1` };
  gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  runtime = connectPostgres({ connectionString: t.runtimeUrl, maxConnections: 4 });
  s = scimApp(runtime.db);
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await s?.app.close();
  await runtime?.close();
  await mock?.close();
  await t?.drop();
});

describe('leaver on two gateway processes', () => {
  it('SCIM PATCH active:false → 401 on both replicas, active:true → 200 again; DELETE → 401', async () => {
    const email = 'leaver@acme.example';
    const created = await s.request('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: email, [ENTERPRISE]: { department: 'Engineering' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const { key } = await createApiKey(t.handle.db, email);
    await untilAll(gateways, key, 200, performance.now());

    for (let round = 0; round < 2; round++) {
      const r = await s.request('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
      expect(r.statusCode).toBe(200);
      await untilAll(gateways, key, 401, performance.now());
      await s.request('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }));
      await untilAll(gateways, key, 200, performance.now());
    }
    expect((await s.request('DELETE', `/Users/${id}`)).statusCode).toBe(204);
    await untilAll(gateways, key, 401, performance.now());
  });
});
