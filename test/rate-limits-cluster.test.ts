// Two gateway processes on one Postgres: a person's per-minute limits hold for the pair of
// replicas, not per replica (a per-replica limiter admitted 2× here).
import OpenAI from 'openai';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/keys/api-keys.repository.ts';
import { startMockProvider, type MockProvider } from '../src/mock-provider/mock-provider.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.ts';
import { waitForLedgerRow } from './support/ledger-queries.ts';
import { swarmPolicy } from './support/resources.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const RPM = 20;
const TPM = 2_000;

let database: TestDatabase;
let mock: MockProvider;
let gateways: GatewayProcess[] = [];
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const resources = swarmPolicy(2, '1000.00', '1000.00');
  const policy = resources.find((r) => r.kind === 'ModelPolicy')!;
  if (policy.kind === 'ModelPolicy') Object.assign(policy.spec, { rateLimits: { requestsPerMinute: RPM, tokensPerMinute: TPM } });
  await syncResources(database.handle.db, resources);
  for (const email of ['user0@swarm.example', 'user1@swarm.example']) keys[email] = (await createApiKey(database.handle.db, email)).key;
  mock = await startMockProvider();
  const env = { STIPEND_DATABASE_URL: database.runtimeUrl, OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${mock.url}/v1` };
  gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await mock?.close();
  await database?.drop();
});

const client = (g: GatewayProcess, email: string) => new OpenAI({ apiKey: keys[email]!, baseURL: `${g.url}/v1`, maxRetries: 0 });

/** Seconds into the current minute by Postgres's clock, which the counters use. */
const dbSecond = async () =>
  Number((await sql<{ s: number }>`select extract(second from clock_timestamp())::float8 as s`.execute(database.handle.db)).rows[0]!.s);

describe('rate limits across two gateway processes', () => {
  it(`a burst of ${3 * RPM} requests split over both admits exactly ${RPM}; the rest get 429 and never reach the provider`, async () => {
    // Keep the burst inside one minute, where the sliding window is exact (polling the clock, bounded).
    const deadline = Date.now() + 15_000;
    while ((await dbSecond()) > 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    mock.reset();
    const results = await Promise.all(
      Array.from({ length: 3 * RPM }, (_, i) => {
        const gateway = i % 2;
        return client(gateways[gateway]!, 'user0@swarm.example')
          .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
          .then(
            () => ({ gateway, status: 200, retryAfter: null as string | null }),
            (e: InstanceType<typeof OpenAI.APIError>) => ({ gateway, status: e.status, retryAfter: e.headers?.get('retry-after') ?? null }),
          );
      }),
    );
    const admitted = results.filter((r) => r.status === 200);
    expect(admitted).toHaveLength(RPM);
    // Each replica was offered more than the limit (a per-replica limiter would admit RPM on
    // each, 2 × RPM in all); which replica's requests won the race is up to the scheduler.
    for (const g of [0, 1]) expect(results.filter((r) => r.gateway === g).length).toBeGreaterThan(RPM);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.every((r) => r.status === 429 && Number(r.retryAfter) >= 1)).toBe(true);
    expect(mock.calls).toHaveLength(RPM);

    // Someone else on the same policy still has their own minute.
    await client(gateways[1]!, 'user1@swarm.example').chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
  });

  it(`tokens: once the pair has settled ${TPM} tokens in the window, both refuse`, async () => {
    const email = 'user1@swarm.example';
    let tokens = 0;
    let admitted = 0;
    for (let i = 0; i < 12; i++) {
      const response = await client(gateways[i % 2]!, email)
        .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 500, messages: [{ role: 'user', content: 'long mock:tokens=450' }] })
        .withResponse()
        .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
      if (response instanceof OpenAI.APIError) {
        expect(response.status).toBe(429);
        expect(response.message).toContain(`${TPM} tokens per minute`);
        // The other replica refuses too.
        const other = await client(gateways[(i + 1) % 2]!, email)
          .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
          .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
        expect((other as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
        break;
      }
      admitted++;
      // Sequential: the next request is admitted only after this one's ledger row counted its tokens.
      const row = await waitForLedgerRow(database.handle.db, response.response.headers.get('x-request-id')!);
      tokens += row.input_tokens + row.cached_input_tokens + row.cache_write_tokens + row.output_tokens;
    }
    expect(admitted).toBeGreaterThan(1);
    expect(admitted).toBeLessThan(12);
    // Admitted while below the limit: over it by at most the last request's tokens (the documented bound).
    expect(tokens).toBeGreaterThanOrEqual(TPM);
    expect(tokens).toBeLessThan(TPM + 500);
  });
});
