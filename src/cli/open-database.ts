import { resolve } from 'node:path';
import { sql } from 'kysely';
import { connectPostgres } from '../db/connect-postgres.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { dataDirFiles } from '../dev/data-dir.ts';
import { DataDirBusy } from '../dev/data-dir-lock.ts';
import { NoDevDatabase, openDevDatabase } from '../dev/open-dev-database.ts';
import { CliError, CommandFailed } from './cli-error.ts';
import { describeFailure } from './describe-failure.ts';

export interface DatabaseSource {
  readonly dataDir: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The command, recorded in the data dir's lock and used in messages. */
  readonly command: string;
  readonly applicationName: string;
}

/** The database a command works on, checked to be reachable. */
export async function openDatabase(source: DatabaseSource): Promise<DbHandle> {
  return source.dataDir !== undefined ? openDataDir(resolve(source.cwd, source.dataDir), source.command) : openUrl(source);
}

async function openDataDir(dir: string, command: string): Promise<DbHandle> {
  try {
    return await openDevDatabase(dir, command);
  } catch (error) {
    if (error instanceof NoDevDatabase) throw new CommandFailed(`${error.message}: run 'stipend dev --data-dir ${dir}' once to create it`);
    if (error instanceof DataDirBusy) {
      const { owner } = error;
      if (owner.command === 'dev') {
        throw new CommandFailed(
          `${dir} is open in 'stipend dev' (pid ${owner.pid}) and its embedded database serves one process at a time: stop it (Ctrl-C) and run this again, or use its admin API (URL and token in ${dataDirFiles(dir).devJson})`,
        );
      }
      throw new CommandFailed(`${dir} is in use by 'stipend ${owner.command}' (pid ${owner.pid}); run this again when it has finished`);
    }
    throw error;
  }
}

async function openUrl(source: DatabaseSource): Promise<DbHandle> {
  const url = source.env.STIPEND_DATABASE_URL;
  if (!url) throw new CliError(`STIPEND_DATABASE_URL is not set (e.g. postgres://user:pass@host:5432/stipend), and no --data-dir was given`);
  let where: string;
  try {
    const u = new URL(url);
    where = `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`; // never the password
  } catch {
    throw new CliError('STIPEND_DATABASE_URL is not a URL (e.g. postgres://user:pass@host:5432/stipend)');
  }
  const pool = Number(source.env.STIPEND_DATABASE_POOL ?? 20);
  if (!Number.isInteger(pool) || pool < 1) throw new CliError('STIPEND_DATABASE_POOL must be a positive integer');
  const handle = connectPostgres({ connectionString: url, applicationName: source.applicationName, maxConnections: pool });
  try {
    await sql`select 1`.execute(handle.db);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new CommandFailed(`cannot reach the database at ${where} (STIPEND_DATABASE_URL): ${describeFailure(error).message}`);
  }
  return handle;
}
