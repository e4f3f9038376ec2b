import { connectPostgres } from '../db/connect-postgres.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { CliError } from './cli-error.ts';

/**
 * The database of a long-running role (gateway, operator, admin, alerts): no reachability
 * check at start, since a role rides out Postgres being away. One-shot commands use
 * `ctx.database()` (src/cli/open-database.ts), which checks and also accepts --data-dir.
 * `onError` hears about connection errors the pool absorbed (Postgres restarting): log them.
 */
export function databaseFromEnv(
  applicationName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  onError?: (error: Error) => void,
): DbHandle {
  const url = env.STIPEND_DATABASE_URL;
  if (!url) throw new CliError('STIPEND_DATABASE_URL is not set (e.g. postgres://user:pass@host:5432/stipend)');
  return connectPostgres({ connectionString: url, applicationName, maxConnections: Number(env.STIPEND_DATABASE_POOL ?? 20), onError });
}
