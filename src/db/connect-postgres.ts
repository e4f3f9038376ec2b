import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { RECONNECTED, type DbHandle, type ListenOptions, type Unlisten } from './db-handle.ts';

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
  /** How long opening a connection may take before the query fails (default 5 s): a dead host must not hang requests. */
  readonly connectTimeoutMs?: number;
  /** Told about every connection error the pool absorbed (logging); never throws. */
  readonly onError?: (error: Error) => void;
}

/** Backoff of the LISTEN connection's reconnects: quick at first, then once a second. */
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000] as const;

export function connectPostgres(options: PostgresOptions): DbHandle {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const report = (error: Error) => {
    try {
      options.onError?.(error);
    } catch {
      // A logging failure must not become an unhandled error either.
    }
  };
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'stipend',
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    types,
  });
  // Postgres going away (restart, failover) ends every connection with an 'error' event. The
  // pool listens on idle clients only; a client checked out at that moment (mid-query, or
  // between the statements of a transaction) would emit it with no listener and crash the
  // process. Every client gets a listener for its whole life; the query in flight fails on
  // its own, and the pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', () => undefined); // already reported by the client's own listener

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<Unlisten>();

  return {
    kind: 'postgres',
    db,
    async listen(channel, onPayload, listenOptions): Promise<Unlisten> {
      const unlisten = await listenWithReconnect(options, connectTimeoutMs, channel, onPayload, listenOptions ?? {}, report);
      listeners.add(unlisten);
      return async () => {
        listeners.delete(unlisten);
        await unlisten();
      };
    },
    async close() {
      for (const unlisten of listeners) await unlisten();
      listeners.clear();
      await db.destroy();
    },
  };
}

/**
 * A dedicated connection for LISTEN. When it is lost it is re-established (with backoff, for
 * as long as it takes), and `onPayload('reconnected')` tells the caller that notifications may
 * have been missed meanwhile. Exactly one connection is live or being opened at any time.
 */
async function listenWithReconnect(
  options: PostgresOptions,
  connectTimeoutMs: number,
  channel: string,
  onPayload: (payload: string) => void,
  listenOptions: ListenOptions,
  report: (error: Error) => void,
): Promise<Unlisten> {
  let stopped = false;
  let current: pg.Client | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  const open = async (): Promise<pg.Client> => {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: `${options.applicationName ?? 'stipend'}-listen`,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      types,
    });
    // One handler for the client's whole life: a late second error (an error message, then the
    // socket's end) must not start a second reconnect, nor go unhandled.
    let lost = false;
    const onLost = (error?: Error) => {
      if (error) report(error);
      if (lost) return;
      lost = true;
      if (current === client) {
        current = null;
        listenOptions.onConnectionChange?.(false);
        schedule();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  };

  const schedule = () => {
    if (stopped || timer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]!;
    attempt++;
    timer = setTimeout(() => {
      timer = null;
      void reconnect();
    }, delay);
    timer.unref();
  };

  const reconnect = async (): Promise<void> => {
    if (stopped) return;
    let client: pg.Client;
    try {
      client = await open();
    } catch (error) {
      report(error as Error);
      schedule();
      return;
    }
    if (stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    attempt = 0;
    listenOptions.onConnectionChange?.(true);
    onPayload(RECONNECTED); // changes may have been missed while away
  };

  current = await open();
  listenOptions.onConnectionChange?.(true);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const client = current;
    current = null;
    if (client) await client.end().catch(() => undefined);
  };
}
