// Every input is bounded before anything is reserved: the key is checked before the body is
// read, over-deep JSON and invalid UTF-8 are refused, and slow clients are cut.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { ledgerCount, waitForNoReservations } from './support/ledger-queries.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: {
      STIPEND_MAX_BODY_BYTES: String(256 * 1024),
      // Short enough for the slow clients below to be cut within the test, long enough that an
      // ordinary request on a loaded machine (this process runs the gateway too) is never cut.
      STIPEND_CLIENT_HEADERS_TIMEOUT_MS: '2000',
      STIPEND_CLIENT_REQUEST_TIMEOUT_MS: '4000',
    },
  });
});
afterAll(async () => h?.close());
let ledgerBefore = 0;
beforeEach(async () => {
  h.mock.reset();
  ledgerBefore = await ledgerCount(h.database.handle.db);
});

const ADA = 'ada@acme.example';

async function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
const ada = () => ({ authorization: `Bearer ${h.keys[ADA]}` });

async function expectNothingReservedOrCalled() {
  expect(h.mock.calls).toHaveLength(0);
  expect(await ledgerCount(h.database.handle.db)).toBe(ledgerBefore);
  expect(await h.database.handle.db.selectFrom('reservations').selectAll().execute()).toHaveLength(0);
}

describe('the key is checked before the body is read', () => {
  it('no key + malformed JSON → 401, not 400, in both shapes', async () => {
    const r = await post('/v1/chat/completions', '{"model": "gpt-4o-mini", "messages": [');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('missing_api_key');
    const a = await post('/v1/messages', 'not json', { 'anthropic-version': '2023-06-01' });
    expect(a.status).toBe(401);
    expect(a.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const wrong = await post('/v1/responses', '{', { authorization: 'Bearer sk-stipend-wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_api_key');
    await expectNothingReservedOrCalled();
  });

  it('no key + a body over the size limit → 401: the body is never buffered', async () => {
    const r = await post('/v1/chat/completions', 'x'.repeat(1024 * 1024));
    expect(r.status).toBe(401);
    await expectNothingReservedOrCalled();
  });
});

describe('bounded JSON', () => {
  it('JSON nested 20,000 deep → 400 before any reservation, nothing charged', async () => {
    const deep = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"metadata":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const r = await post('/v1/chat/completions', deep, ada());
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_json', type: 'invalid_request_error' });
    expect(r.body.error.message).toMatch(/128 levels/);
    const a = await post('/v1/messages', deep.replace('gpt-4o-mini', 'claude-haiku-4-5'), { ...ada(), 'anthropic-version': '2023-06-01' });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    await expectNothingReservedOrCalled();
  });

  it('nesting within the limit is forwarded as sent', async () => {
    const nested = `${'['.repeat(100)}1${']'.repeat(100)}`;
    const body = `{"model":"gpt-4o-mini","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"metadata_test":${nested}}`;
    const r = await post('/v1/chat/completions', body, ada());
    expect(r.status).toBe(200);
    expect(JSON.stringify(h.mock.calls[0]!.body)).toContain(nested);
    await waitForNoReservations(h.database.handle.db);
  });

  it('invalid UTF-8 → 400 before any reservation (never forwarded as U+FFFD)', async () => {
    const prefix = Buffer.from('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"');
    const suffix = Buffer.from('"}]}');
    const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.alloc(2000, 0xff), suffix]);
    const r = await post('/v1/chat/completions', body, ada());
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_json' });
    expect(r.body.error.message).toMatch(/UTF-8/);
    await expectNothingReservedOrCalled();
  });
});

describe('client timeouts', () => {
  /** Opens a raw connection, writes `head`, then dribbles a byte every 100 ms; resolves with what the server said when it closed. */
  function slowClient(head: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const url = new URL(h.url);
      const socket = connect(Number(url.port), url.hostname);
      let received = '';
      const drip = setInterval(() => socket.writable && socket.write('x'), 100);
      const giveUp = setTimeout(() => {
        clearInterval(drip);
        socket.destroy();
        reject(new Error('the slow client was never cut'));
      }, 15_000);
      socket.on('connect', () => socket.write(head));
      socket.on('data', (d) => (received += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(giveUp);
        resolve(received);
      });
    });
  }

  it('a body that never finishes is cut with 408, nothing reserved', async () => {
    const answer = await slowClient(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${h.keys[ADA]}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"model":"gpt-4o-mini","messages":[{"role":"user","content":"`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await expectNothingReservedOrCalled();
  });

  it('headers that never finish are cut too', async () => {
    const answer = await slowClient(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nx-slow: `);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
