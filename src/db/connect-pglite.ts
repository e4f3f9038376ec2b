import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './database.ts';
import type { DbHandle } from './db-handle.ts';

const INT8_OID = 20;

/**
 * Embedded Postgres for `stipend dev` and fast tests. PGlite is a single
 * connection, so the pool hands it out to one Kysely connection at a time:
 * a transaction is never interleaved with another request's queries.
 */
export async function connectPglite(dataDir?: string): Promise<DbHandle> {
  const pglite = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (value: string) => BigInt(value) } });
  let queue: Promise<void> = Promise.resolve();

  const client = {
    async query(sqlText: string, parameters: ReadonlyArray<unknown>) {
      if (parameters.length === 0 && sqlText.includes(';')) {
        const results = await pglite.exec(sqlText);
        const last = results.at(-1);
        return { command: 'SELECT' as const, rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
      }
      const result = await pglite.query(sqlText, parameters as unknown[]);
      return { command: commandOf(sqlText), rowCount: result.affectedRows ?? 0, rows: result.rows };
    },
    release() {
      /* replaced per checkout */
    },
  };

  const pool = {
    options: {},
    async connect() {
      let release!: () => void;
      const previous = queue;
      queue = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return { ...client, release: () => release() };
    },
    async end() {
      await pglite.close();
    },
  };

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    kind: 'pglite',
    db,
    listen: async (channel, onPayload, options) => {
      const unlisten = await pglite.listen(channel, onPayload);
      options?.onConnectionChange?.(true); // in process: never lost
      return async () => unlisten();
    },
    close: () => db.destroy(),
  };
}

function commandOf(sqlText: string) {
  const verb = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sqlText)?.[1]?.toUpperCase();
  switch (verb) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'COMMIT':
    case 'ROLLBACK':
      return verb;
    default:
      return 'SELECT' as const;
  }
}
