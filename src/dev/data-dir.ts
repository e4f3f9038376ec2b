import { join, resolve } from 'node:path';

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
