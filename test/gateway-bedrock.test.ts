// The Anthropic SDK, unchanged, against the gateway, which serves Claude from the Amazon
// Bedrock stand-in: SigV4-signed InvokeModel / InvokeModelWithResponseStream, the event
// stream decoded back into Anthropic's SSE, usage and prices to the nano-dollar (global
// profile at Anthropic's price, a regional profile 10 % above), budgets, allow lists and a
// client that leaves mid-stream.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countInputTokens, outputText } from '../src/mock-provider/mock-text.ts';
import { buildSpendReport } from '../src/reports/spend-report.ts';
import { ADA, PAT, TIM, cloudPolicy, cloudSetup, type CloudSetup } from './support/cloud-upstreams.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { ledgerCount, waitForLedgerRow } from './support/ledger-queries.ts';

let h: Harness;
let setup: CloudSetup;
beforeAll(async () => {
  h = await startHarness({
    resources: cloudPolicy(),
    envFor: (mock) => {
      setup = cloudSetup(mock);
      return setup.env;
    },
  });
});
afterAll(async () => {
  await h?.close();
  setup?.remove();
});

const user = (content: string) => [{ role: 'user' as const, content }];
const bedrockCalls = () => h.mock.calls.filter((c) => c.path.startsWith('/model/'));

describe('Claude on Bedrock through the Anthropic SDK', () => {
  it('messages: InvokeModel signed with SigV4, usage with cache reads and writes priced at the global profile (Anthropic list)', async () => {
    const messages = user('Hello Bedrock mock:tokens=5 mock:cached=7 mock:cache-write=3');
    const { data, response } = await h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 100, messages }).withResponse();
    expect(data.content).toEqual([{ type: 'text', text: outputText(5) }]);
    expect(data.usage).toMatchObject({ input_tokens: countInputTokens(messages), cache_read_input_tokens: 7, cache_creation_input_tokens: 3, output_tokens: 5 });

    const call = bedrockCalls().at(-1)!;
    expect(call.path).toBe('/model/global.anthropic.claude-sonnet-4-6-v1%3A0/invoke');
    expect(String(call.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIASTIPENDTEST00001\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=/);
    expect(call.body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100 });
    expect(call.body).not.toHaveProperty('model');
    expect(call.body).not.toHaveProperty('stream');

    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    const input = data.usage.input_tokens;
    expect(row).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6', upstream: 'bedrock-us', platform: 'bedrock', endpoint: 'messages', stream: false });
    expect(row).toMatchObject({ input_tokens: input, cached_input_tokens: 7, cache_write_tokens: 3, output_tokens: 5, pricing_status: 'priced' });
    // Sonnet 4.6, global profile, per token: input 3,000 nanos, cache read 300, 5-minute write 3,750, output 15,000.
    expect(row!.cost_nanos).toBe(BigInt(input * 3_000 + 7 * 300 + 3 * 3_750 + 5 * 15_000));
  });

  it('streams: the event stream becomes Anthropic SSE for the SDK; a regional profile costs 10 % more', async () => {
    const stream = h.anthropic(ADA).messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: user('Stream it mock:tokens=6 mock:cached=4') });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe(outputText(6));
    expect(final.usage).toMatchObject({ cache_read_input_tokens: 4, output_tokens: 6 });
    expect(bedrockCalls().at(-1)!.path).toBe('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream');

    const { response } = await stream.withResponse();
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, upstream: 'bedrock-us', platform: 'bedrock', cached_input_tokens: 4, output_tokens: 6, pricing_status: 'priced' });
    // Haiku 4.5 at a regional (us.) profile, per token: input 1,100 nanos, cache read 110, output 5,500.
    expect(row!.cost_nanos).toBe(BigInt(final.usage.input_tokens * 1_100 + 4 * 110 + 6 * 5_500));
  });

  it('a client that leaves mid-stream stops the Bedrock call and is charged for what was generated', async () => {
    const stream = h.anthropic(ADA).messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 200, messages: user('Long one mock:tokens=60 mock:delay=150') });
    let deltas = 0;
    const { response } = await stream.withResponse();
    await new Promise<void>((resolve) => {
      stream.on('text', () => {
        if (++deltas === 3) {
          stream.abort();
          resolve();
        }
      });
    });
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ upstream: 'bedrock-us', stream: true, pricing_status: 'estimated', http_status: 200 });
    expect(row!.output_tokens).toBeGreaterThanOrEqual(3);
    expect(row!.output_tokens).toBeLessThan(60);
    expect(row!.cost_nanos).toBeGreaterThan(0n);
  });
});

describe('refusals before Bedrock is called', () => {
  it('402 in Anthropic shape when the worst case does not fit the budget; 403 for a model outside the allow list', async () => {
    const before = bedrockCalls().length;
    const rowsBefore = await ledgerCount(h.database.handle.db);
    const tight = h.anthropic(TIM).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1000, messages: user('hi') });
    await expect(tight).rejects.toMatchObject({ status: 402, error: { type: 'error', error: { type: 'budget_exceeded' } } });
    const denied = h.anthropic(PAT).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user('hi') });
    await expect(denied).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(bedrockCalls().length).toBe(before);
    expect(await ledgerCount(h.database.handle.db)).toBe(rowsBefore);
  });

  it('Bedrock takes Claude only on /v1/messages: /v1/chat/completions says so (400)', async () => {
    const chat = h.openai(ADA).chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] });
    await expect(chat).rejects.toMatchObject({ status: 400, message: expect.stringContaining("served through the upstream 'bedrock-us' (bedrock)") });
  });

  it("Bedrock's errors reach the SDK in Anthropic's shape, uncharged (ValidationException, ThrottlingException)", async () => {
    for (const [status, type] of [[400, 'invalid_request_error'], [429, 'rate_limit_error']] as const) {
      const error = (await h.anthropic(ADA).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: user(`mock:status=${status}`) }).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(error).toMatchObject({ status, error: { type: 'error', error: { type } } });
      const row = await waitForLedgerRow(h.database.handle.db, error.headers!.get('x-request-id')!);
      expect(row).toMatchObject({ http_status: status, cost_nanos: 0n, upstream: 'bedrock-us' });
    }
  });
});

describe('finance', () => {
  it('the spend report breaks spend down by upstream: the Bedrock contract is one line', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await buildSpendReport(h.database.handle.db, { from: today, to: today, timeZone: 'UTC' });
    const rows = await h.database.handle.db.selectFrom('usage_events').select(['cost_nanos', 'pricing_status']).where('upstream', '=', 'bedrock-us').execute();
    const spent = rows.filter((r) => r.pricing_status !== 'unpriced').reduce((sum, r) => sum + r.cost_nanos, 0n);
    expect(spent).toBeGreaterThan(0n);
    expect(report.groups.upstream.find((l) => l.key === 'bedrock-us')).toMatchObject({ spendNanos: spent });
  });
});
