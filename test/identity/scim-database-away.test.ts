// Postgres going away under the SCIM server: requests answer 503 (a SCIM error with
// Retry-After, which IdPs retry), nothing is half-written, and service resumes by itself
// when Postgres is back. Postgres is reached through a TCP relay this test cuts and restores.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { scimApp, USER, type ScimApp } from './support/scim-app.ts';

let t: TestDatabase;
let relay: { port: number; up(): Promise<void>; down(): Promise<void>; close(): Promise<void> };
let handle: DbHandle;
let s: ScimApp;

/** A TCP relay to the test Postgres that can drop every connection and refuse new ones. */
async function startRelay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const down = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  await listen();
  return { port, up: listen, down, close: down };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const url = new URL(t.url);
  relay = await startRelay(url);
  const viaRelay = new URL(t.url);
  viaRelay.port = String(relay.port);
  handle = connectPostgres({ connectionString: viaRelay.toString(), maxConnections: 4 });
  s = scimApp(handle.db);
});
afterAll(async () => {
  await s?.app.close();
  await handle?.close();
  await relay?.close();
  await t?.drop();
});

describe('SCIM without its database', () => {
  it('answers 503 with Retry-After while Postgres is away, writes nothing, and recovers without a restart', async () => {
    expect((await s.request('POST', '/Users', { schemas: [USER], userName: 'before@acme.example' })).statusCode).toBe(201);
    await relay.down();
    for (const [method, url, body] of [
      ['GET', '/Users', undefined],
      ['POST', '/Users', { schemas: [USER], userName: 'during@acme.example' }],
    ] as const) {
      const r = await s.request(method, url, body);
      expect(r.statusCode).toBe(503);
      expect(r.headers['retry-after']).toBe('5');
      expect(r.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: expect.stringContaining('nothing was changed') });
    }
    await relay.up();
    const deadline = Date.now() + 10_000;
    let list = await s.request('GET', '/Users');
    while (list.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      list = await s.request('GET', '/Users');
    }
    expect(list.statusCode).toBe(200);
    expect(list.json().Resources.map((u: { userName: string }) => u.userName)).toEqual(['before@acme.example']);
    expect((await s.request('POST', '/Users', { schemas: [USER], userName: 'after@acme.example' })).statusCode).toBe(201);
  });
});
