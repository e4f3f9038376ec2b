import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const serverUrl =
  process.env.STIPEND_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

export interface TestDatabase {
  readonly url: string;
  readonly handle: DbHandle;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the test server, so test files never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `stipend_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const handle = connectPostgres({ connectionString: url, maxConnections: 20 });
  await migrateToLatest(handle.db);
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
