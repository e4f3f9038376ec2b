import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface DataDirPlaces {
  readonly cwd: string;
  readonly home: string | undefined;
  readonly tmp: string;
}

/**
 * Where `stipend dev` keeps its data when no --data-dir is given: `.stipend` in the working
 * directory, as in a checkout (`npm start`). Where that cannot be written — the image's /app on a
 * read-only root filesystem — `$HOME/.stipend`, then `stipend-dev` in the temp directory, so
 * `docker run … stipend dev` works with no flag.
 */
export async function defaultDataDir(places: DataDirPlaces = currentPlaces()): Promise<string> {
  const candidates = [join(places.cwd, '.stipend'), ...(places.home ? [join(places.home, '.stipend')] : []), join(places.tmp, 'stipend-dev')];
  for (const dir of candidates) if (await canWrite(dir)) return dir;
  return candidates[0]!; // none is writable: creating it reports why
}

function currentPlaces(): DataDirPlaces {
  let home: string | undefined;
  try {
    home = homedir();
  } catch {
    home = undefined; // a uid with no passwd entry and no $HOME
  }
  return { cwd: process.cwd(), home, tmp: tmpdir() };
}

/** The folder exists and is writable, or can be created in a writable folder (access() reports EROFS too). */
async function canWrite(dir: string): Promise<boolean> {
  const existing = await stat(dir).catch(() => null);
  const target = existing ? dir : dirname(dir);
  const info = existing ?? (await stat(target).catch(() => null));
  if (!info?.isDirectory()) return false;
  return access(target, constants.W_OK).then(
    () => true,
    () => false,
  );
}
