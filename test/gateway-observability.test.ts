// /metrics after real traffic, health endpoints, and logs that never carry a secret.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForNoReservations } from './support/ledger-queries.ts';

const logLines: string[] = [];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ logLines });
});
afterAll(async () => h?.close());

describe('observability', () => {
  it('exposes request, refusal, reservation, upstream, ledger and stream series after traffic', async () => {
    const ada = h.openai('ada@acme.example');
    await ada.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const stream = await ada.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const _ of stream) void _;
    await h.openai('sam@acme.example').chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    await new OpenAI({ apiKey: 'sk-stipend-wrong', baseURL: `${h.url}/v1`, maxRetries: 0 }).models.list().catch(() => undefined);
    await waitForNoReservations(h.database.handle.db);

    // Ledger counters move when the settlement batch returns, just after its commit.
    let text = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      text = await (await fetch(h.gateway.metricsUrl)).text();
      if (/stipend_ledger_writes_total\{result="ok"\} 2/.test(text) && /stipend_open_streams 0/.test(text)) break;
    }
    expect(text).toMatch(/stipend_requests_total\{route="\/v1\/chat\/completions",outcome="200"\} 2/);
    expect(text).toMatch(/stipend_refusals_total\{status="403",code="model_not_allowed"\} 1/);
    expect(text).toMatch(/stipend_refusals_total\{status="401",code="invalid_api_key"\} 1/);
    expect(text).toMatch(/stipend_reservation_seconds_count 2/);
    expect(text).toMatch(/stipend_upstream_seconds_count\{provider="openai",upstream="openai",stream="true"\} 1/);
    expect(text).toMatch(/stipend_ledger_writes_total\{result="ok"\} 2/);
    expect(text).toMatch(/stipend_open_streams 0/);
    expect(text).toMatch(/stipend_spent_nanodollars_total\{provider="openai"\} [1-9]/);
  });

  it('healthz answers, readyz reports Postgres and policy', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', policy: 'loaded', draining: 'no' } });
  });

  it('logs JSON with request ids and never a client key or a provider secret', async () => {
    const key = h.keys['ada@acme.example']!;
    await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello mock:status=500' }] }),
    });
    await waitForNoReservations(h.database.handle.db);
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    expect(logLines.some((l) => JSON.parse(l).reqId)).toBe(true);
    for (const secret of [key, ...Object.values(h.keys), 'sk-upstream-openai-secret', 'sk-upstream-anthropic-secret', 'upstream-gemini-secret']) {
      expect(all).not.toContain(secret);
    }
  });
});
