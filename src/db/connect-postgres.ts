import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import type { DbHandle, Unlisten } from './db-handle.ts';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

// int8 columns hold nano-dollars: parse them as bigint, never as JS numbers.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => BigInt(value);
    if (oid === INT8_ARRAY_OID) {
      const parseArray = pg.types.getTypeParser(INT8_ARRAY_OID as never, 'text') as (value: string) => (string | null)[];
      return (value: string) => parseArray(value).map((v) => (v === null ? null : BigInt(v)));
    }
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  readonly applicationName?: string;
}

export function connectPostgres(options: PostgresOptions): DbHandle {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'stipend',
    types,
  });
  // An idle client that dies (Postgres restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();

  return {
    kind: 'postgres',
    db,
    async listen(channel, onPayload): Promise<Unlisten> {
      return listenWithReconnect(options.connectionString, channel, onPayload, listeners);
    },
    async close() {
      for (const client of listeners) await client.end().catch(() => undefined);
      listeners.clear();
      await db.destroy();
    },
  };
}

/** A dedicated connection for LISTEN that reconnects, and reports a reconnect as a payload-less change. */
async function listenWithReconnect(
  connectionString: string,
  channel: string,
  onPayload: (payload: string) => void,
  listeners: Set<pg.Client>,
): Promise<Unlisten> {
  let stopped = false;
  let current: pg.Client | undefined;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString, application_name: 'stipend-listen' });
    client.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    client.on('error', () => {
      listeners.delete(client);
      if (!stopped) setTimeout(() => void reconnect(), 500);
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    current = client;
    listeners.add(client);
  };
  const reconnect = async (): Promise<void> => {
    if (stopped) return;
    try {
      await connect();
      onPayload('reconnected'); // changes may have been missed while away
    } catch {
      setTimeout(() => void reconnect(), 1000);
    }
  };

  await connect();
  return async () => {
    stopped = true;
    if (current) {
      listeners.delete(current);
      await current.end().catch(() => undefined);
    }
  };
}
