import { existsSync } from 'node:fs';
import { connectPglite } from '../db/connect-pglite.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { dataDirFiles } from './data-dir.ts';
import { lockDataDir } from './data-dir-lock.ts';

export class NoDevDatabase extends Error {
  override readonly name = 'NoDevDatabase';
}

/**
 * Opens the embedded database of a dev data dir for one command, holding the data
 * dir's lock until closed. Throws DataDirBusy while `stipend dev` (or another
 * command) has it open, NoDevDatabase when the dir was never used by `stipend dev`.
 */
export async function openDevDatabase(dataDir: string, command: string): Promise<DbHandle> {
  const files = dataDirFiles(dataDir);
  if (!existsSync(files.pgdata)) throw new NoDevDatabase(`no dev database in ${files.dir}`);
  const release = lockDataDir(files.lock, command);
  try {
    const handle = await connectPglite(files.pgdata);
    await migrateToLatest(handle.db);
    return {
      ...handle,
      async close() {
        try {
          await handle.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
