import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** Who holds a data dir: written into the lock file so others can say so. */
export interface LockOwner {
  readonly pid: number;
  /** `dev` for the embedded server, else the CLI command (e.g. `report spend`). */
  readonly command: string;
}

export class DataDirBusy extends Error {
  override readonly name = 'DataDirBusy';
  readonly owner: LockOwner;
  constructor(lockFile: string, owner: LockOwner) {
    super(`${lockFile} is held by process ${owner.pid} (${owner.command})`);
    this.owner = owner;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function readOwner(file: string): LockOwner | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof v.pid === 'number' ? { pid: v.pid, command: String(v.command ?? '?') } : null;
  } catch {
    return null;
  }
}

/**
 * PGlite is one process at a time: two processes opening one data dir corrupt it. The
 * lock is a file created exclusively; one left by a process that died is taken over.
 * Returns the release function (also run at process exit).
 */
export function lockDataDir(file: string, command: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, command }), { flag: 'wx', mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readOwner(file)?.pid === process.pid) unlinkSync(file);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner && owner.pid !== process.pid && alive(owner.pid)) throw new DataDirBusy(file, owner);
      if (owner?.pid === process.pid) throw new DataDirBusy(file, owner);
      try {
        unlinkSync(file); // stale: its process is gone (or the file is unreadable garbage)
      } catch {
        /* someone else removed it first */
      }
    }
  }
  throw new DataDirBusy(file, readOwner(file) ?? { pid: 0, command: 'unknown' });
}

/** The live owner of a data dir's lock, if any (without taking it). */
export function lockOwner(file: string): LockOwner | null {
  const owner = readOwner(file);
  return owner && alive(owner.pid) ? owner : null;
}
