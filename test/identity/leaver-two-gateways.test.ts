// A leaver loses access on every replica within a second: two `stipend gateway` processes
// on one Postgres, a SCIM PATCH active:false (and a DELETE), and the time until both
// answer 401. The same measurement for a plain key revocation is the floor (the path
// leavers ride on: a NOTIFY and a policy reload on each replica).
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { createApiKey, revokeApiKeys } from '../../src/keys/api-keys.repository.ts';
import { startMockProvider, type MockProvider } from '../../src/mock-provider/mock-provider.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts';
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

const status = async (gateway: GatewayProcess, key: string) =>
  (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

/** Polls both replicas until each answers `expected`; ms from `start` to the moment each did. */
async function untilBoth(key: string, expected: number, start: number): Promise<number[]> {
  return Promise.all(
    gateways.map(async (g) => {
      const deadline = start + 10_000;
      for (;;) {
        if ((await status(g, key)) === expected) return performance.now() - start;
        if (performance.now() > deadline) throw new Error(`${g.url} never answered ${expected}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    }),
  );
}

const ms = (values: number[]) => values.map((v) => `${v.toFixed(0)} ms`).join(', ');

describe('leaver on two gateway processes', () => {
  it('SCIM PATCH active:false → 401 on both replicas within 1 s (each round measured from the request)', async () => {
    const email = 'leaver@acme.example';
    const created = await s.request('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: email, [ENTERPRISE]: { department: 'Engineering' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const { key } = await createApiKey(t.handle.db, email);
    await untilBoth(key, 200, performance.now());

    const leaver: number[] = [];
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      const r = await s.request('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
      expect(r.statusCode).toBe(200);
      leaver.push(...(await untilBoth(key, 401, start)));
      await s.request('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }));
      await untilBoth(key, 200, performance.now());
    }
    const start = performance.now();
    expect((await s.request('DELETE', `/Users/${id}`)).statusCode).toBe(204);
    const deleted = await untilBoth(key, 401, start);

    // The floor: revoking a key directly, measured the same way.
    const floor: number[] = [];
    for (let round = 0; round < 5; round++) {
      const other = (await createApiKey(t.handle.db, 'grace@acme.example')).key;
      await untilBoth(other, 200, performance.now());
      const begin = performance.now();
      await revokeApiKeys(t.handle.db, { key: other });
      floor.push(...(await untilBoth(other, 401, begin)));
    }
    console.log(`leaver (PATCH active:false) → 401 on both replicas: ${ms(leaver)}; DELETE: ${ms(deleted)}; floor (key revocation): ${ms(floor)}`);
    for (const elapsed of [...leaver, ...deleted]) expect(elapsed).toBeLessThan(1000);
  });
});
