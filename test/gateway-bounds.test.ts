// Every input bounded before the call: requests that make the provider read beyond their
// body (previous responses, conversations, files, documents by URL, server-side tools) are
// reserved at their bound or refused with a 400, through the official SDKs; a $0.01 hard
// wallet never ends above its limit unless a provider reports usage beyond the model's
// context window, and then the overage is recorded, counted and alerted.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/ledger/audit.ts';
import { parseResources } from '../src/policy/load-resource-folder.ts';
import { defaultCatalog } from '../src/pricing/catalog.ts';
import { costOf } from '../src/pricing/cost.ts';
import { inputTokenBound } from '../src/pricing/estimate.ts';
import { worstCaseWithTools } from '../src/pricing/request-bound.ts';
import { alertsDb } from '../src/alerts/alert-tables.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForLedgerRow, waitForNoReservations, walletsOf } from './support/ledger-queries.ts';

const POLICY = `
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: roomy, namespace: bounds }
spec:
  owners: [roomy-lead@bounds.example]
  members: [{ email: big@bounds.example }]
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: tight, namespace: bounds }
spec:
  owners: [tight-lead@bounds.example]
  members: [{ email: pat@bounds.example }]
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: over, namespace: bounds }
spec:
  owners: [over-lead@bounds.example]
  members: [{ email: ovi@bounds.example }]
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: roomy, namespace: bounds }
spec: { target: { teams: [roomy] }, scope: Shared, amount: "100.00", period: Daily, enforcement: Hard }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: tight, namespace: bounds }
spec: { target: { teams: [tight] }, scope: Shared, amount: "0.01", period: Daily, enforcement: Hard }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: over, namespace: bounds }
spec: { target: { teams: [over] }, scope: Shared, amount: "0.01", period: Daily, enforcement: Hard }
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: all, namespace: bounds }
spec:
  target: { teams: [roomy, tight, over] }
  allow: ["openai/*", "anthropic/*"]
  deny: ["openai/gpt-4o"]
`;

const BIG = 'big@bounds.example';
const PAT = 'pat@bounds.example';
const OVI = 'ovi@bounds.example';
const price = (model: string) => defaultCatalog().resolve(model)!.price!;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ resources: parseResources(POLICY, 'bounds.yaml') });
});
afterAll(async () => h?.close());
const db = () => h.database.handle.db;

/**
 * Runs a request the mock holds for a moment (`mock:latency=…` in it) and returns the
 * worst case the gateway reserved for it, read from the reservation while it is in flight.
 */
async function reservedFor<T>(run: () => Promise<T>): Promise<{ reserved: bigint; result: T }> {
  await waitForNoReservations(db());
  const pending = run();
  const until = Date.now() + 5_000;
  for (;;) {
    const row = await db().selectFrom('reservations').select('estimate_nanos').executeTakeFirst();
    if (row) return { reserved: row.estimate_nanos, result: await pending };
    if (Date.now() > until) throw new Error('no reservation seen');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const status = (e: unknown): number => (e instanceof OpenAI.APIError || e instanceof Anthropic.APIError ? (e.status ?? 0) : -1);

describe('input outside the body is reserved at the context window', () => {
  it('Responses previous_response_id: reserved at the window, charged at what the provider reports', async () => {
    const client = h.openai(BIG);
    const first = await client.responses.create({ model: 'gpt-4.1-mini', input: 'Remember the number 7 mock:tokens=20' });
    const { reserved, result } = await reservedFor(() =>
      client.responses.create({ model: 'gpt-4.1-mini', input: 'Which number? mock:latency=300', previous_response_id: first.id, max_output_tokens: 64 }).withResponse(),
    );
    const p = price('gpt-4.1-mini');
    expect(reserved).toBe(worstCaseWithTools(p, p.contextWindow!, 64, 0n));
    const row = await waitForLedgerRow(db(), result.response.headers.get('x-request-id')!);
    // The mock read the earlier conversation: input beyond the body, billed as reported.
    expect(row.input_tokens).toBe(result.data.usage!.input_tokens);
    expect(row.input_tokens).toBeGreaterThan(first.usage!.input_tokens + first.usage!.output_tokens);
    expect(row).toMatchObject({ pricing_status: 'priced', overage_nanos: 0n });
  });

  it('Responses conversation and input_file (id, URL): reserved at the window', async () => {
    const client = h.openai(BIG);
    const p = price('gpt-4.1-mini');
    const atWindow = worstCaseWithTools(p, p.contextWindow!, 64, 0n);
    const conversation = await reservedFor(() => client.responses.create({ model: 'gpt-4.1-mini', input: 'Go on mock:latency=300', conversation: 'conv_1', max_output_tokens: 64 }));
    expect(conversation.reserved).toBe(atWindow);
    for (const part of [{ file_id: 'file-abc' }, { file_url: 'https://example.com/report.pdf' }]) {
      const file = await reservedFor(() =>
        client.responses.create({
          model: 'gpt-4.1-mini',
          max_output_tokens: 64,
          input: [{ role: 'user', content: [{ type: 'input_file', ...part }, { type: 'input_text', text: 'Summarize mock:latency=300 mock:file-tokens=5000' }] }],
        }),
      );
      expect(file.reserved).toBe(atWindow);
      expect(file.result.usage!.input_tokens).toBeGreaterThan(5_000);
    }
  });

  it('Chat Completions file parts: reserved at the window', async () => {
    const p = price('gpt-4.1-mini');
    const { reserved } = await reservedFor(() =>
      h.openai(BIG).chat.completions.create({
        model: 'gpt-4.1-mini',
        max_tokens: 64,
        messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }, { type: 'text', text: 'Read mock:latency=300' }] }],
      }),
    );
    expect(reserved).toBe(worstCaseWithTools(p, p.contextWindow!, 64, 0n));
  });

  it('Anthropic documents by URL and file: reserved at the window; images by URL keep their per-image bound', async () => {
    const client = h.anthropic(BIG);
    const p = price('claude-haiku-4-5');
    for (const source of [{ type: 'url' as const, url: 'https://example.com/a.pdf' }, { type: 'file' as const, file_id: 'file_1' }]) {
      const { reserved, result } = await reservedFor(() =>
        client.beta.messages.create({
          model: 'claude-haiku-4-5',
          max_tokens: 64,
          messages: [{ role: 'user', content: [{ type: 'document', source }, { type: 'text', text: 'Summarize mock:latency=300' }] }],
        }),
      );
      expect(reserved).toBe(worstCaseWithTools(p, p.contextWindow!, 64, 0n));
      expect(result.usage.input_tokens).toBeGreaterThan(1_000); // the mock read the document
    }
    const image = await reservedFor(() =>
      client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }, { type: 'text', text: 'What is it? mock:latency=300' }] }],
      }),
    );
    expect(image.reserved).toBeLessThan(worstCaseWithTools(p, 30_000, 64, 0n));
  });

  it('a $0.01 wallet refuses them all (402) without calling the provider', async () => {
    h.mock.reset();
    const openai = h.openai(PAT);
    const attempts = [
      openai.responses.create({ model: 'gpt-4.1-mini', input: 'x', previous_response_id: 'resp_1', max_output_tokens: 16 }),
      openai.responses.create({ model: 'gpt-4.1-mini', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }], max_output_tokens: 16 }),
      h.anthropic(PAT).messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } }] }] }),
    ];
    const statuses = await Promise.all(attempts.map((a) => a.then(() => 200, status)));
    expect(statuses).toEqual([402, 402, 402]);
    expect(h.mock.calls).toHaveLength(0);
  });
});

describe('server-side tools: fees × the request’s cap, one window per call, or refused', () => {
  it('OpenAI web_search with max_tool_calls: reserved for every call, charged for the calls made', async () => {
    const p = price('gpt-4.1-mini');
    const { reserved, result } = await reservedFor(() =>
      h.openai(BIG).responses.create({ model: 'gpt-4.1-mini', input: 'News? mock:searches=2 mock:latency=300', tools: [{ type: 'web_search' }], max_tool_calls: 3, max_output_tokens: 64 }).withResponse(),
    );
    // The first pass reads the body; each of the 3 allowed calls one window more; each call $0.01.
    const floor = worstCaseWithTools(p, 3 * p.contextWindow!, 64, 30_000_000n);
    expect(reserved).toBeGreaterThan(floor);
    expect(reserved).toBeLessThan(floor + worstCaseWithTools(p, inputTokenBound(2_000, 0), 0, 0n));
    const row = await waitForLedgerRow(db(), result.response.headers.get('x-request-id')!);
    const usage = result.data.usage!;
    const tokens = costOf(p, { inputTokens: usage.input_tokens, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: usage.output_tokens, reasoningTokens: 0 });
    expect(result.data.output.filter((o) => o.type === 'web_search_call')).toHaveLength(2);
    expect(row.cost_nanos).toBe(tokens + 2n * 10_000_000n);
  });

  it('OpenAI streamed web search: the calls in the stream are charged too', async () => {
    const { data: stream, response } = await h.openai(BIG).responses.create({ model: 'gpt-4.1-mini', input: 'News? mock:searches=3', tools: [{ type: 'web_search' }], max_tool_calls: 3, stream: true }).withResponse();
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) if (event.type === 'response.completed') completed = event.response;
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    const u = completed!.usage!;
    const tokens = costOf(price('gpt-4.1-mini'), { inputTokens: u.input_tokens, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: u.output_tokens, reasoningTokens: 0 });
    expect(row.cost_nanos).toBe(tokens + 3n * 10_000_000n);
  });

  it('OpenAI code_interpreter: a new container is reserved and charged ($0.03)', async () => {
    const { result } = await reservedFor(() =>
      h.openai(BIG).responses.create({ model: 'gpt-4.1-mini', input: 'Compute mock:latency=200', tools: [{ type: 'code_interpreter', container: { type: 'auto' } }], max_tool_calls: 1, max_output_tokens: 64 }).withResponse(),
    );
    const row = await waitForLedgerRow(db(), result.response.headers.get('x-request-id')!);
    expect(row.cost_nanos).toBeGreaterThan(30_000_000n);
  });

  it('Anthropic web_search with max_uses: $10 / 1,000 searches as usage.server_tool_use reports them', async () => {
    const p = price('claude-haiku-4-5');
    const { reserved, result } = await reservedFor(() =>
      h.anthropic(BIG).messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 4 }],
        messages: [{ role: 'user', content: 'Look it up mock:searches=2 mock:latency=300' }],
      }).withResponse(),
    );
    expect(reserved).toBeGreaterThan(worstCaseWithTools(p, 4 * p.contextWindow!, 64, 40_000_000n));
    const row = await waitForLedgerRow(db(), result.response.headers.get('x-request-id')!);
    const u = result.data.usage;
    expect(u.server_tool_use?.web_search_requests).toBe(2);
    const tokens = costOf(p, { inputTokens: u.input_tokens, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: u.output_tokens, reasoningTokens: 0 });
    expect(row.cost_nanos).toBe(tokens + 2n * 10_000_000n);
  });

  it('Anthropic streamed web search: the searches message_delta reports are charged', async () => {
    const stream = h.anthropic(BIG).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
      messages: [{ role: 'user', content: 'Look it up mock:searches=3' }],
    });
    const message = await stream.finalMessage();
    const { response } = await stream.withResponse();
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    const u = message.usage;
    expect(u.server_tool_use?.web_search_requests).toBe(3);
    const tokens = costOf(price('claude-haiku-4-5'), { inputTokens: u.input_tokens, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: u.output_tokens, reasoningTokens: 0 });
    expect(row).toMatchObject({ stream: true, pricing_status: 'priced' });
    expect(row.cost_nanos).toBe(tokens + 3n * 10_000_000n);
  });

  it('refuses with a clear 400 what has no bound, before any reservation or provider call', async () => {
    h.mock.reset();
    const openai = h.openai(BIG);
    const anthropic = h.anthropic(BIG);
    const cases: [() => Promise<unknown>, string][] = [
      [() => openai.responses.create({ model: 'gpt-4.1-mini', input: 'x', tools: [{ type: 'web_search' }] }), 'max_tool_calls'],
      [() => openai.responses.create({ model: 'gpt-4.1-mini', input: 'x', background: true }), 'Background responses are not supported'],
      [() => openai.responses.create({ model: 'gpt-4.1-mini', input: 'x', tools: [{ type: 'image_generation' }], max_tool_calls: 1 }), "tool type 'image_generation'"],
      [() => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'x' }] }), 'max_uses'],
      [() => anthropic.beta.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, tools: [{ type: 'code_execution_20250825', name: 'code_execution' }], messages: [{ role: 'user', content: 'x' }] }), 'code execution is billed by container time'],
      [() => anthropic.beta.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'x' }], messages: [{ role: 'user', content: 'x' }] }), 'MCP connector'],
    ];
    for (const [attempt, words] of cases) {
      const error = await attempt().catch((e: unknown) => e);
      expect(status(error), words).toBe(400);
      expect((error as Error).message).toContain(words);
    }
    expect(h.mock.calls).toHaveLength(0);
    await waitForNoReservations(db());
  });
});

describe('a success without usage is charged at an estimate, never $0', () => {
  it('chat, responses (standard and streamed), messages', async () => {
    const ids: string[] = [];
    ids.push((await h.openai(BIG).chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi mock:no-usage=1 mock:tokens=40' }] }).withResponse()).response.headers.get('x-request-id')!);
    ids.push((await h.openai(BIG).responses.create({ model: 'gpt-4.1-mini', input: 'Hi mock:no-usage=1 mock:tokens=40' }).withResponse()).response.headers.get('x-request-id')!);
    const { data: stream, response } = await h.openai(BIG).responses.create({ model: 'gpt-4.1-mini', input: 'Hi mock:no-usage=1 mock:tokens=40', stream: true }).withResponse();
    for await (const _ of stream) void _;
    ids.push(response.headers.get('x-request-id')!);
    ids.push((await h.anthropic(BIG).messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi mock:no-usage=1 mock:tokens=40' }] }).withResponse()).response.headers.get('x-request-id')!);
    for (const id of ids) {
      const row = await waitForLedgerRow(db(), id);
      expect(row.pricing_status, id).toBe('estimated');
      expect(row.output_tokens, id).toBeGreaterThanOrEqual(40);
      expect(row.input_tokens, id).toBeGreaterThan(0);
      expect(row.cost_nanos, id).toBeGreaterThan(0n);
    }
  });
});

describe('a $0.01 hard wallet never ends above its limit', () => {
  it('under a concurrent mix of every kind of request', async () => {
    const openai = h.openai(PAT);
    const anthropic = h.anthropic(PAT);
    h.mock.reset();
    const kinds = [
      () => openai.chat.completions.create({ model: 'gpt-4.1-mini', max_tokens: 300, messages: [{ role: 'user', content: 'Plain mock:tokens=250' }] }),
      () => openai.responses.create({ model: 'gpt-4.1-mini', max_output_tokens: 300, input: 'Plain mock:tokens=250' }),
      () => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 300, messages: [{ role: 'user', content: 'Plain mock:tokens=250' }] }),
      () => openai.responses.create({ model: 'gpt-4.1-mini', input: 'x', previous_response_id: 'resp_1', max_output_tokens: 16 }),
      () => openai.responses.create({ model: 'gpt-4.1-mini', input: 'x mock:searches=3', tools: [{ type: 'web_search' }], max_tool_calls: 3, max_output_tokens: 16 }),
      () => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }], messages: [{ role: 'user', content: 'x' }] }),
      () => openai.responses.create({ model: 'gpt-4.1-mini', input: 'x', tools: [{ type: 'web_search' }] }),
      () => openai.chat.completions.create({ model: 'gpt-4.1-mini', max_tokens: 300, messages: [{ role: 'user', content: 'No usage mock:no-usage=1 mock:tokens=250' }] }),
    ];
    const results = await Promise.all(Array.from({ length: 48 }, (_, i) => kinds[i % kinds.length]!().then(() => 200, status)));
    expect(results.every((s) => s === 200 || s === 402 || s === 400)).toBe(true);
    expect(results.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(results.filter((s) => s === 402).length).toBeGreaterThan(0);
    await waitForNoReservations(db());
    const [wallet] = await walletsOf(db(), 'bounds/tight');
    expect(wallet!.reserved_nanos).toBe(0n);
    expect(wallet!.spent_nanos).toBeGreaterThan(0n);
    expect(wallet!.spent_nanos).toBeLessThanOrEqual(wallet!.limit_nanos);
    // Every provider call is in the ledger, and the ledger is what the wallet spent.
    const rows = await db().selectFrom('usage_events').select(['cost_nanos', 'overage_nanos']).where('team', '=', 'bounds/tight').execute();
    expect(rows).toHaveLength(h.mock.calls.length);
    expect(rows.reduce((s, r) => s + r.cost_nanos, 0n)).toBe(wallet!.spent_nanos);
    expect(rows.every((r) => r.overage_nanos === 0n)).toBe(true);
  });

  it('unless the provider reports usage beyond the context window: charged, recorded, counted and alerted', async () => {
    const before = (await h.gateway.metrics.overages.get()).values.reduce((s, v) => s + v.value, 0);
    // gpt-4o-mini reads at most 128K tokens; the mock reports 200K (a provider fault).
    const { data, response } = await h.openai(OVI).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'Hi mock:input-tokens=200000' }] }).withResponse();
    expect(data.usage!.prompt_tokens).toBe(200_000);
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    const cost = costOf(price('gpt-4o-mini'), { inputTokens: 200_000, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: data.usage!.completion_tokens, reasoningTokens: 0 });
    expect(row.cost_nanos).toBe(cost); // charged truthfully
    expect(row.overage_nanos).toBeGreaterThan(0n);
    expect(row.overage_nanos).toBeLessThan(cost);
    await waitForNoReservations(db());
    const [wallet] = await walletsOf(db(), 'bounds/over');
    expect(wallet!.spent_nanos).toBe(cost);
    expect(wallet!.spent_nanos).toBeGreaterThan(wallet!.limit_nanos); // negative: nothing left
    // The metric, and one alert to the budget's owners, with the request and the amount.
    // The counter moves when the settlement batch returns to the gateway, just after its commit.
    const overages = async () => (await h.gateway.metrics.overages.get()).values.reduce((s, v) => s + v.value, 0);
    for (const deadline = Date.now() + 10_000; (await overages()) < before + 1 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    expect(await overages()).toBe(before + 1);
    const alerts = await alertsDb(db()).selectFrom('budget_alerts').selectAll().where('kind', '=', 'overage').execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ details: { requestId: row.request_id, overageNanos: String(row.overage_nanos), costNanos: String(cost) }, threshold: null, spent_nanos: cost });
    const deliveries = await alertsDb(db()).selectFrom('alert_deliveries').select(['channel', 'recipient']).where('alert_id', '=', alerts[0]!.id).execute();
    expect(deliveries.map((d) => `${d.channel}:${d.recipient}`).sort()).toEqual(['email:over-lead@bounds.example', 'webhook:webhook']);
    // The next request is refused, and the ledger still verifies with the overage in its chain.
    h.mock.reset();
    const next = await h.openai(OVI).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'again' }] }).catch(status);
    expect(next).toBe(402);
    expect(h.mock.calls).toHaveLength(0);
    expect((await verifyLedger(db())).ok).toBe(true);
  });
});

describe('models: families and the provider’s own id', () => {
  it('deny: ["openai/gpt-4o"] covers its dated snapshots, priced on their own or not', async () => {
    for (const model of ['gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-2024-08-06', 'openai/gpt-4o-2099-01-31']) {
      const error = await h.openai(BIG).chat.completions.create({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(error, model).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((error as InstanceType<typeof OpenAI.APIError>).code, model).toBe('model_not_allowed');
    }
    const listed = (await h.openai(BIG).models.list()).data.map((m) => m.id);
    expect(listed).toContain('gpt-4o-mini');
    expect(listed.filter((id) => id.startsWith('gpt-4o-20') || id === 'gpt-4o')).toEqual([]);
  });

  it('forwards the id the provider knows, not the provider/ prefix the client typed', async () => {
    h.mock.reset();
    await h.openai(BIG).chat.completions.create({ model: 'openai/gpt-4.1-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    await h.openai(BIG).chat.completions.create({ model: 'openai/gpt-4.1-mini-2025-04-14', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    await h.openai(BIG).responses.create({ model: 'openai/gpt-4.1-mini', input: 'hi' });
    await h.anthropic(BIG).messages.create({ model: 'anthropic/claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(h.mock.calls.map((c) => c.model)).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini', 'claude-haiku-4-5']);
  });
});
