import { connectPostgres } from '../db/connect-postgres.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { CliError } from './cli-error.ts';

/** `onError` hears about connection errors the pool absorbed (Postgres restarting): log them, never crash. */
export function databaseFromEnv(applicationName: string, onError?: (error: Error) => void): DbHandle {
  const url = process.env.STIPEND_DATABASE_URL;
  if (!url) throw new CliError('STIPEND_DATABASE_URL is not set (e.g. postgres://user:pass@host:5432/stipend)');
  return connectPostgres({ connectionString: url, applicationName, maxConnections: Number(process.env.STIPEND_DATABASE_POOL ?? 20), onError });
}
