// Budgets: a hard wallet never goes past its limit, however many callers race for it.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForNoReservations, walletsOf } from './support/ledger-queries.ts';
import { swarmPolicy } from './support/resources.ts';

describe('402 when a wallet has no room', () => {
  let h: Harness;
  beforeAll(async () => {
    // Shared wallet of 10 micro-dollars: any gpt-4o-mini request's worst case is larger.
    h = await startHarness({ resources: swarmPolicy(2, '0.00001') });
  });
  afterAll(async () => h?.close());

  it('OpenAI shape, budget headers, no provider call, personal wallet untouched', async () => {
    const error = await h
      .openai('user0@swarm.example')
      .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(402);
    expect(apiError.error).toMatchObject({ type: 'budget_exceeded', code: 'budget_exceeded' });
    expect(apiError.headers?.get('x-stipend-budget-remaining')).toBe('0.000010');
    expect(Date.parse(apiError.headers?.get('x-stipend-budget-reset') ?? '')).toBeGreaterThan(Date.now());
    expect(h.mock.calls).toHaveLength(0);
    const personal = await walletsOf(h.database.handle.db, 'load/swarm-personal');
    expect(personal.every((w) => w.reserved_nanos === 0n && w.spent_nanos === 0n)).toBe(true);
  });

  it('Anthropic shape on /v1/messages', async () => {
    const error = await h
      .anthropic('user1@swarm.example')
      .messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(402);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'budget_exceeded' } });
    expect(h.mock.calls).toHaveLength(0);
  });
});

describe('concurrency: 300 parallel requests, 30 keys, two gateways, one small shared wallet', () => {
  let a: Harness;
  let b: Harness;
  const LIMIT_USD = '0.002';
  beforeAll(async () => {
    a = await startHarness({ resources: swarmPolicy(30, LIMIT_USD), mock: { latencyMs: 5 } });
    b = await startHarness({ database: a.database, mock: { latencyMs: 5 } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('never charges past the limit and never calls the provider for a 402', async () => {
    const emails = Object.keys(a.keys);
    expect(emails).toHaveLength(30);
    const clients = emails.flatMap((email) => [
      new OpenAI({ apiKey: a.keys[email]!, baseURL: `${a.url}/v1`, maxRetries: 0 }),
      new OpenAI({ apiKey: a.keys[email]!, baseURL: `${b.url}/v1`, maxRetries: 0 }),
    ]);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        clients[i % clients.length]!.chat.completions
          .create({ model: 'gpt-4o-mini', max_tokens: 40, messages: [{ role: 'user', content: `request ${i} mock:tokens=40` }] })
          .then(
            () => 200,
            (e: InstanceType<typeof OpenAI.APIError>) => e.status ?? 0,
          ),
      ),
    );
    const ok = results.filter((s) => s === 200).length;
    const refused = results.filter((s) => s === 402).length;
    expect(ok + refused).toBe(300);
    expect(ok).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    // Every provider call belongs to an admitted request: none for a 402.
    expect(a.mock.calls.length + b.mock.calls.length).toBe(ok);

    await waitForNoReservations(a.database.handle.db);
    const [shared] = await walletsOf(a.database.handle.db, 'load/swarm-shared');
    expect(shared!.reserved_nanos).toBe(0n);
    expect(shared!.spent_nanos).toBeLessThanOrEqual(shared!.limit_nanos);
    const ledger = await a.database.handle.db.selectFrom('usage_events').select(['cost_nanos']).execute();
    expect(ledger).toHaveLength(ok);
    expect(ledger.reduce((s, r) => s + r.cost_nanos, 0n)).toBe(shared!.spent_nanos);
  });
});

describe('rate limits from ModelPolicy', () => {
  let h: Harness;
  beforeAll(async () => {
    const resources = swarmPolicy(2, '100.00');
    const policy = resources.find((r) => r.kind === 'ModelPolicy')!;
    if (policy.kind === 'ModelPolicy') Object.assign(policy.spec, { rateLimits: { requestsPerMinute: 2 } });
    h = await startHarness({ resources });
  });
  afterAll(async () => h?.close());

  it('a third request in the minute gets 429 with retry-after, no provider call, no charge', async () => {
    const client = h.openai('user0@swarm.example');
    const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    await ask();
    h.mock.reset();
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.code).toBe('rate_limited');
    expect(Number(apiError.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(h.mock.calls).toHaveLength(0);
    // Someone else on the same policy is not limited by it.
    await h.openai('user1@swarm.example').chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
  });
});
