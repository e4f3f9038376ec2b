import { join, resolve } from 'node:path';

/**
 * Where `stipend dev` keeps its state when no --data-dir is given. The one place this
 * default is decided (the CLI's help and the dev mode both read it).
 */
export function defaultDataDir(): string {
  return '.stipend';
}

/** The files of a dev data dir. */
export function dataDirFiles(dataDir: string) {
  const dir = resolve(dataDir);
  return {
    dir,
    pgdata: join(dir, 'pgdata'),
    devJson: join(dir, 'dev.json'),
    demoKeys: join(dir, 'demo-keys.json'),
    lock: join(dir, 'stipend.lock'),
    demoTraffic: join(dir, 'demo-traffic.json'),
  } as const;
}
