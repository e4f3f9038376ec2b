import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { applyRuntimeGrants } from '../../src/db/runtime-role.ts';

export const serverUrl =
  process.env.STIPEND_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

export interface TestDatabase {
  /** The owner's URL (the test server's superuser): migrations, fixtures, assertions. */
  readonly url: string;
  /** The runtime role's URL, as `stipend migrate` sets it up: what the services connect as. */
  readonly runtimeUrl: string;
  readonly runtimeRole: string;
  readonly handle: DbHandle;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the test server, so test files never see each other's rows.
 * Roles are cluster-wide: each database gets its own runtime role, named after it, so
 * parallel test files never race to create or grant the same role.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `stipend_test_${randomBytes(6).toString('hex')}`;
  const runtimeRole = `${name}_rt`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const handle = connectPostgres({ connectionString: url, maxConnections: 20 });
  await migrateToLatest(handle.db);
  await applyRuntimeGrants(handle.db, { role: runtimeRole });
  return {
    url,
    runtimeUrl: withUser(url, runtimeRole),
    runtimeRole,
    handle,
    async drop() {
      await handle.close();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.query(`drop role if exists ${runtimeRole}`);
      await client.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function withUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = '';
  return parsed.toString();
}
