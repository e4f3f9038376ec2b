// The plain OpenAI SDK, unchanged, against the gateway, which serves GPT models from the
// Azure OpenAI stand-in: deployments mapped from model names on the dated surface
// (api-version, api-key) and on the v1 surface with Entra ID tokens (client credentials);
// chat, streaming, Responses, embeddings; content-filter fields passed through; usage read
// as OpenAI's and priced at Azure's Global price, a contract price, or refused unpriced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AZURE_API_KEY, TEST_ENTRA_CLIENT } from '../src/mock-provider/cloud/cloud-options.ts';
import { ADA, PAT, TIM, cloudPolicy, cloudSetup, type CloudSetup } from './support/cloud-upstreams.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForLedgerRow } from './support/ledger-queries.ts';

let h: Harness;
let setup: CloudSetup;
beforeAll(async () => {
  h = await startHarness({
    resources: cloudPolicy(),
    mock: { cloud: { azure: { deployments: { 'mini-prod': 'gpt-4o-mini', 'gpt-4o': 'gpt-4o', 'o3': 'o3', 'o4-mini': 'o4-mini', 'embed-small': 'text-embedding-3-small' } } } },
    envFor: (mock) => {
      setup = cloudSetup(mock, {
        upstreams: [
          { kind: 'azure-openai', name: 'azure-east', endpoint: mock.url, apiVersion: '2025-04-01-preview', deployments: { 'gpt-4o-mini': 'mini-prod', 'text-embedding-3-small': 'embed-small' }, auth: { apiKey: { file: 'azure-key' } } },
          {
            kind: 'azure-openai',
            name: 'azure-west',
            endpoint: mock.url,
            auth: { entra: { tenantId: TEST_ENTRA_CLIENT.tenantId, clientId: TEST_ENTRA_CLIENT.clientId, clientSecret: { file: 'entra-secret' }, authorityHost: mock.url } },
          },
          { kind: 'azure-openai', name: 'azure-eu-zone', endpoint: mock.url, deploymentType: 'data-zone', auth: { apiKey: { file: 'azure-key' } } },
        ],
        routes: [
          { models: ['openai/gpt-4o'], upstream: 'azure-west' },
          { models: ['openai/o3'], upstream: 'azure-eu-zone' },
          { models: ['openai/*'], upstream: 'azure-east' },
        ],
        // A contract price for what the shipped catalog does not price on Azure.
        pricing: [
          { provider: 'openai', model: 'text-embedding-3-small', kind: 'embedding', platform: 'azure-openai', input: '0.022', maxOutputTokens: 0, source: 'https://contracts.example.com/azure-2026', checkedOn: '2026-11-01' },
          { provider: 'openai', model: 'o4-mini', platform: 'azure-openai', input: '1.10', cachedInput: '0.275', output: '4.40', maxOutputTokens: 100_000, source: 'https://contracts.example.com/azure-2026', checkedOn: '2026-11-01' },
        ],
      });
      return setup.env;
    },
  });
});
afterAll(async () => {
  await h?.close();
  setup?.remove();
});

const azureCalls = () => h.mock.calls.filter((c) => c.path.startsWith('/openai/'));
const entraCalls = () => h.mock.calls.filter((c) => c.path.endsWith('/oauth2/v2.0/token'));
const hi = (content: string) => [{ role: 'user' as const, content }];
// gpt-4o-mini on Azure Global Standard, per token: input 150 nanos, cached 75, output 600.
const miniCost = (prompt: number, cached: number, output: number) => BigInt((prompt - cached) * 150 + cached * 75 + output * 600);

describe('the dated surface: deployments, api-version, api-key', () => {
  it('chat: the deployment in the path, content-filter annotations passed through, usage priced at the Global price', async () => {
    const { data, response } = await h.openai(ADA).chat.completions.create({ model: 'gpt-4o-mini', messages: hi('Hi Azure mock:tokens=5 mock:cached=4') }).withResponse();
    expect(data.model).toBe('gpt-4o-mini');
    const raw = data as unknown as { prompt_filter_results: unknown[]; choices: { content_filter_results: Record<string, unknown> }[] };
    expect(raw.prompt_filter_results[0]).toMatchObject({ prompt_index: 0, content_filter_results: { hate: { filtered: false } } });
    expect(raw.choices[0]!.content_filter_results).toMatchObject({ violence: { filtered: false, severity: 'safe' } });
    const call = azureCalls().at(-1)!;
    expect(call.path).toBe('/openai/deployments/mini-prod/chat/completions');
    expect(call.headers['api-key']).toBe(TEST_AZURE_API_KEY);
    expect(call.headers.authorization).toBeUndefined();

    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    const u = data.usage!;
    expect(row).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', upstream: 'azure-east', platform: 'azure-openai', cached_input_tokens: 4, output_tokens: 5, pricing_status: 'priced' });
    expect(row!.cost_nanos).toBe(miniCost(u.prompt_tokens, 4, 5));
  });

  it('streamed chat: the prompt-filter chunk reaches the client, the usage chunk it did not ask for does not', async () => {
    const { data: stream, response } = await h.openai(ADA).chat.completions.create({ model: 'gpt-4o-mini', messages: hi('Stream mock:tokens=6'), stream: true }).withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect((chunks[0] as unknown as { prompt_filter_results?: unknown }).prompt_filter_results).toBeDefined();
    expect(chunks.every((c) => c.usage === undefined || c.usage === null)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('').length).toBeGreaterThan(0);
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, output_tokens: 6, pricing_status: 'priced', upstream: 'azure-east' });
    expect(row!.cost_nanos).toBe(miniCost(row!.input_tokens, 0, 6));
  });

  it('reasoning: counted inside the output and priced once, streamed and not, at a contract price', async () => {
    const { data, response } = await h.openai(ADA).chat.completions.create({ model: 'o4-mini', messages: hi('Think mock:tokens=4 mock:cached=6') }).withResponse();
    const u = data.usage!;
    expect(u.completion_tokens_details?.reasoning_tokens).toBe(8);
    expect(u.completion_tokens).toBe(4 + 8);
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ output_tokens: 12, reasoning_tokens: 8, cached_input_tokens: 6, upstream: 'azure-east' });
    // o4-mini at the contract price, per token: input 1,100 nanos, cached 275, output 4,400.
    expect(row!.cost_nanos).toBe(BigInt((u.prompt_tokens - 6) * 1_100 + 6 * 275 + 12 * 4_400));

    const { data: stream, response: streamed } = await h.openai(ADA).chat.completions.create({ model: 'o4-mini', messages: hi('Think mock:tokens=3'), stream: true }).withResponse();
    for await (const _ of stream) void _;
    const streamedRow = await waitForLedgerRow(h.database.handle.db, streamed.headers.get('x-request-id')!);
    expect(streamedRow).toMatchObject({ stream: true, output_tokens: 11, reasoning_tokens: 8, pricing_status: 'priced' });
    expect(streamedRow!.cost_nanos).toBe(BigInt(streamedRow!.input_tokens * 1_100 + 11 * 4_400));
  });

  it('a client that leaves a stream is charged for what was generated', async () => {
    const { data: stream, response } = await h.openai(ADA).chat.completions.create({ model: 'gpt-4o-mini', messages: hi('Long mock:tokens=80 mock:delay=100'), stream: true }).withResponse();
    let deltas = 0;
    for await (const chunk of stream) if (chunk.choices[0]?.delta?.content && ++deltas === 3) break; // leaving the loop aborts the request
    const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ stream: true, pricing_status: 'estimated', upstream: 'azure-east' });
    expect(row!.output_tokens).toBeGreaterThanOrEqual(3);
    expect(row!.output_tokens).toBeLessThan(80);
  });

  it('Responses (/openai/responses, the deployment as the model) and embeddings at a contract price', async () => {
    const { data, response } = await h.openai(ADA).responses.create({ model: 'gpt-4o-mini', input: 'Say hi mock:tokens=3' }).withResponse();
    expect(data.usage?.output_tokens).toBe(3);
    const call = azureCalls().at(-1)!;
    expect(call.path).toBe('/openai/responses');
    expect(call.body).toMatchObject({ model: 'mini-prod' });
    expect(await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!)).toMatchObject({ endpoint: 'responses', output_tokens: 3, pricing_status: 'priced' });

    const embedded = await h.openai(ADA).embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'] }).withResponse();
    expect(azureCalls().at(-1)!.path).toBe('/openai/deployments/embed-small/embeddings');
    const row = await waitForLedgerRow(h.database.handle.db, embedded.response.headers.get('x-request-id')!);
    expect(row!.cost_nanos).toBe(BigInt(embedded.data.usage.prompt_tokens * 22));
  });
});

describe('the v1 surface with Entra ID', () => {
  it('client-credentials token fetched once and reused; gpt-4o priced at the Global price', async () => {
    const before = entraCalls().length;
    for (const tokens of [2, 3]) {
      const { data, response } = await h.openai(ADA).chat.completions.create({ model: 'gpt-4o', messages: hi(`mock:tokens=${tokens}`) }).withResponse();
      const call = azureCalls().at(-1)!;
      expect(call.path).toBe('/openai/v1/chat/completions');
      expect(String(call.headers.authorization)).toMatch(/^Bearer eyJ/); // a JWT from the Entra token endpoint
      const row = await waitForLedgerRow(h.database.handle.db, response.headers.get('x-request-id')!);
      expect(row).toMatchObject({ upstream: 'azure-west', platform: 'azure-openai' });
      expect(row!.cost_nanos).toBe(BigInt(data.usage!.prompt_tokens * 2_500 + tokens * 10_000));
    }
    expect(entraCalls().length).toBe(before + 1);
  });
});

describe('refusals', () => {
  it('a Data Zone deployment without a confirmed price is refused as unpriced, before Azure is called', async () => {
    const before = azureCalls().length;
    const refused = h.openai(ADA).chat.completions.create({ model: 'o3', messages: hi('hi') });
    await expect(refused).rejects.toMatchObject({ status: 403, code: 'model_unpriced', message: expect.stringContaining('azure-openai (data-zone)') });
    expect(azureCalls().length).toBe(before);
  });

  it('402 and 403 in OpenAI shape, nothing forwarded', async () => {
    const before = azureCalls().length;
    await expect(h.openai(TIM).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100_000, messages: hi('hi') })).rejects.toMatchObject({ status: 402, code: 'budget_exceeded' });
    await expect(h.openai(PAT).chat.completions.create({ model: 'gpt-4o', messages: hi('hi') })).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
    expect(azureCalls().length).toBe(before);
  });
});
