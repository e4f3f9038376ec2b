import { connectPostgres } from '../db/connect-postgres.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { CliError } from './cli-error.ts';

export function databaseFromEnv(applicationName: string): DbHandle {
  const url = process.env.STIPEND_DATABASE_URL;
  if (!url) throw new CliError('STIPEND_DATABASE_URL is not set (e.g. postgres://user:pass@host:5432/stipend)');
  return connectPostgres({ connectionString: url, applicationName, maxConnections: Number(process.env.STIPEND_DATABASE_POOL ?? 20) });
}
