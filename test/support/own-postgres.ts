// A Postgres instance of a test's own, to stop and start (the suite's shared server must never
// be touched). initdb in a temporary directory, run as the `postgres` OS user, on a port from
// the range this project's restart tests use.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = process.env.STIPEND_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** Ports for test-owned Postgres instances. */
const PORTS = { from: 55400, to: 55449 } as const;

export interface OwnPostgres {
  readonly port: number;
  /** Connection URL of the `postgres` database (or `database`). */
  url(database?: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its directory. */
  destroy(): Promise<void>;
}

async function asPostgres(command: string, args: string[]): Promise<string> {
  const isRoot = process.getuid?.() === 0;
  const { stdout } = isRoot
    ? await run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args])
    : await run(join(BIN, command), args);
  return stdout;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync('/tmp/stipend-own-pg-');
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);

  const log = join(dir, 'server.log');
  const configure = async (port: number) => {
    // Settings for a throwaway test server: no fsync, a socket directory of its own.
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [`port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`, 'fsync = off', 'full_page_writes = off', 'max_connections = 200', ''].join('\n'),
    );
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(join(data, 'postgresql.auto.conf'), Number(stdout.trim()), Number(gid.trim()));
    }
  };
  const start = async () => void (await asPostgres('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']));
  const stop = async () => void (await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']));

  // A port free a moment ago can be taken before Postgres binds it (another test, another
  // process): if the start fails, the next free port is tried.
  const candidates = Array.from({ length: PORTS.to - PORTS.from + 1 }, (_, i) => PORTS.from + i).sort(() => Math.random() - 0.5);
  let port = 0;
  let lastError: unknown = null;
  let attempts = 0;
  for (const candidate of candidates) {
    if (!(await portIsFree(candidate))) continue;
    await configure(candidate);
    try {
      await start();
      port = candidate;
      break;
    } catch (error) {
      lastError = error;
      if (++attempts >= 5) break;
    }
  }
  if (!port) throw new Error(`could not start Postgres on a free port in ${PORTS.from}-${PORTS.to}: ${String(lastError ?? 'none free')}`);
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async destroy() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
