// Streams beyond the old 256-connection cap are all open upstream at once (none queues in the
// gateway), and above the in-flight maximum requests are shed at once: 503, Retry-After, no
// reservation, no provider call.
import { Agent, request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForNoReservations } from './support/ledger-queries.ts';

const OLD_CAP = 256;
const STREAMS = 300;
const MAX_IN_FLIGHT = 340;

let h: Harness;
const client = new Agent({ connections: null, keepAliveTimeout: 1000 });
beforeAll(async () => {
  h = await startHarness({ env: { STIPEND_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT) } });
});
afterAll(async () => {
  await h?.close();
  await client.destroy();
});

/** A stream that sends its first event at once and its next one only after a minute: it stays open until aborted. */
async function openStream(key: string, abort: AbortController): Promise<Dispatcher.ResponseData & { first: string }> {
  const response = await request(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    dispatcher: client,
    signal: abort.signal,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'hold mock:tokens=1 mock:delay=30000' }] }),
  });
  const reader = response.body[Symbol.asyncIterator]();
  const first = await reader.next();
  return Object.assign(response, { first: String(first.value ?? '') });
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(h.gateway.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : Number.NaN;
}

async function until(what: string, deadline: number, probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within the deadline`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('thousands of streams per replica', () => {
  it(`${STREAMS} streams are open upstream at once; past ${MAX_IN_FLIGHT} in flight requests are shed with 503`, async () => {
    const keys = ['ada@acme.example', 'grace@acme.example', 'alan@acme.example'].map((e) => h.keys[e]).filter(Boolean) as string[];
    const abort = new AbortController();
    try {
      const streams = await Promise.all(Array.from({ length: STREAMS }, (_, i) => openStream(keys[i % keys.length]!, abort)));
      expect(streams.every((s) => s.statusCode === 200 && s.first.startsWith('data: '))).toBe(true);
      // Every stream reached the provider while all of them are still open: none waits for a connection.
      expect(h.mock.calls).toHaveLength(STREAMS);
      expect(STREAMS).toBeGreaterThan(OLD_CAP);
      expect(await metric('stipend_open_streams')).toBe(STREAMS);
      expect(await metric('stipend_in_flight_requests')).toBe(STREAMS);
      const connections = await metric('stipend_upstream_connections');
      expect(connections).toBeGreaterThan(OLD_CAP);
      const metricsText = await (await fetch(h.gateway.metricsUrl)).text();
      expect(metricsText).toMatch(/stipend_upstream_requests\{origin="http:\/\/127\.0\.0\.1:\d+",state="queued"\} 0/);

      // Fill up to the maximum, then everything beyond it is refused at once.
      const more = await Promise.all(Array.from({ length: MAX_IN_FLIGHT - STREAMS }, (_, i) => openStream(keys[i % keys.length]!, abort)));
      expect(more.every((s) => s.statusCode === 200)).toBe(true);
      await until('every admitted stream reached the provider', Date.now() + 30_000, async () => h.mock.calls.length === MAX_IN_FLIGHT);
      const reservationsBefore = (await h.database.handle.db.selectFrom('reservations').select('request_id').execute()).length;

      const shed = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${h.url}${i % 2 ? '/v1/messages' : '/v1/chat/completions'}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${keys[0]}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
            body: JSON.stringify({ model: i % 2 ? 'claude-haiku-4-5' : 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'one more' }] }),
          }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Record<string, any>, anthropic: i % 2 === 1 })),
        ),
      );
      for (const s of shed) {
        expect(s.status).toBe(503);
        expect(s.retryAfter).toBe('1');
        if (s.anthropic) expect(s.body).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
        else expect(s.body.error).toMatchObject({ code: 'overloaded', type: 'server_error' });
      }
      // Refused while every admitted stream was still open, with no provider call and no reservation.
      expect(await metric('stipend_open_streams')).toBe(MAX_IN_FLIGHT);
      expect(h.mock.calls).toHaveLength(MAX_IN_FLIGHT);
      expect((await h.database.handle.db.selectFrom('reservations').select('request_id').execute()).length).toBe(reservationsBefore);
      const text = await (await fetch(h.gateway.metricsUrl)).text();
      expect(text).toMatch(/stipend_refusals_total\{status="503",code="overloaded"\} 20/);
    } finally {
      abort.abort();
    }
    // Closing the streams frees the slots, and each is charged for what it generated.
    await until('in-flight back to 0', Date.now() + 30_000, async () => (await metric('stipend_in_flight_requests')) === 0);
    await waitForNoReservations(h.database.handle.db, 30_000);
    const ok = await h.openai('ada@acme.example').chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 4, messages: [{ role: 'user', content: 'after' }] });
    expect(ok.choices[0]?.message.content).toBeTruthy();
  }, 120_000);
});
