// Postgres restarts under a gateway: the time from Postgres accepting connections again to
// the gateway serving again (no restart of the gateway). test/gateway-postgres-restart.test.ts
// checks that it recovers under load and that the ledger stays exact; the time is measured here.
import { sql } from 'kysely';
import { connectPostgres } from '../src/db/connect-postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createApiKey } from '../src/keys/api-keys.repository.ts';
import { startMockProvider } from '../src/mock-provider/mock-provider.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import { startGatewayProcess } from '../test/support/gateway-process.ts';
import { startOwnPostgres } from '../test/support/own-postgres.ts';
import { percentile } from './load.ts';

/** ms from Postgres accepting connections to the gateway's first 200, per restart. */
export async function benchPostgresRestart(restarts: number): Promise<number[]> {
  const pg = await startOwnPostgres();
  const mock = await startMockProvider();
  try {
    const admin = connectPostgres({ connectionString: pg.url() });
    await sql`create database stipend`.execute(admin.db);
    await admin.close();
    const handle = connectPostgres({ connectionString: pg.url('stipend'), maxConnections: 2 });
    await migrateToLatest(handle.db);
    await syncResources(handle.db, await loadResourceFolder(new URL('../examples', import.meta.url).pathname));
    const { key } = await createApiKey(handle.db, 'ada@acme.example');
    await handle.close();
    const gateway = await startGatewayProcess({ STIPEND_DATABASE_URL: pg.url('stipend'), OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${mock.url}/v1` });
    const ask = async () => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.arrayBuffer();
      return response.status;
    };
    const recoveries: number[] = [];
    try {
      for (let i = 0; i < restarts; i++) {
        await pg.stop();
        await pg.start(); // returns once Postgres accepts connections
        const upAt = performance.now();
        while ((await ask()) !== 200) {
          if (performance.now() - upAt > 60_000) throw new Error('the gateway did not serve again within 60 s');
          await new Promise((r) => setTimeout(r, 5));
        }
        recoveries.push(performance.now() - upAt);
      }
    } finally {
      await gateway.stop();
    }
    return recoveries;
  } finally {
    await mock.close();
    await pg.destroy();
  }
}

export function postgresRestartReport(recoveries: readonly number[]): string[] {
  return [
    `Postgres restarted ${recoveries.length}×: the gateway serves again p50 ${Math.round(percentile([...recoveries], 50))} ms, max ${Math.round(Math.max(...recoveries))} ms after Postgres accepts connections (target: under 2,000 ms)`,
  ];
}

if (import.meta.main) {
  process.stdout.write(postgresRestartReport(await benchPostgresRestart(Number(process.argv[2] ?? 3))).join('\n') + '\n');
}
