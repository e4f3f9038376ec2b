// A ledger that exercises every FOCUS case: several teams (and none), several providers and
// models served from their makers' APIs and from cloud platforms (Bedrock, Vertex AI, Azure
// OpenAI; and rows from before the ledger recorded platforms), every token kind (cache writes, a long-context tier), every pricing status, rows
// without usage, and a model the catalog does not price. Costs are what the gateway charges:
// costOf() on the shipped catalog, rounded up per request.
import type { Insertable } from 'kysely';
import type { Db, PricingStatus, UsageEventsTable } from '../../../src/db/database.ts';
import { defaultCatalog } from '../../../src/pricing/catalog.ts';
import { costOf } from '../../../src/pricing/cost.ts';

const TEAMS = [
  ['acme/engineering', 'CC-ENG-001'],
  ['acme/product', 'CC-PROD-001'],
  ['acme/design', 'CC-DES-001'],
  [null, null],
] as const;
const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-haiku-4-5'],
  ['google', 'gemini-2.5-pro'],
  ['google', 'gemini-2.5-flash'],
  ['openai', 'gpt-unlisted-preview'], // not in the catalog: unpriced
] as const;
/** Where each maker's models are served, by turn: before 0018 (no platform), first party, clouds. */
const SERVED: Readonly<Record<string, readonly (readonly [platform: string, upstream: string] | null)[]>> = {
  openai: [null, ['openai', 'openai'], ['azure-openai', 'azure-eu']],
  anthropic: [null, ['anthropic', 'anthropic'], ['bedrock', 'bedrock-us-east-1'], ['vertex-ai', 'vertex-europe']],
  google: [null, ['gemini', 'gemini'], ['vertex-ai', 'vertex-europe']],
};

/** Inserts `perMonth` rows in each of the months (UTC), request ids prefixed by `tag`. */
export async function generateFocusLedger(db: Db, months: readonly string[], perMonth: number, tag = 'f'): Promise<void> {
  const catalog = defaultCatalog();
  let i = 0;
  for (const month of months) {
    const start = Date.parse(`${month}-01T00:00:00Z`);
    const [y, m] = month.split('-').map(Number) as [number, number];
    const span = Date.UTC(y, m, 1) - start;
    const rows: Insertable<UsageEventsTable>[] = [];
    for (let n = 0; n < perMonth; n++, i++) {
      const [team, costCenter] = TEAMS[i % TEAMS.length]!;
      const [provider, model] = MODELS[(i * 5) % MODELS.length]!;
      const price = catalog.resolve(`${provider}/${model}`)?.price ?? null;
      const missing = price !== null && i % 41 === 0;
      const longContext = model === 'gemini-2.5-pro' && i % 9 === 0;
      const usage = {
        inputTokens: missing ? 0 : longContext ? 210_000 + (i % 7) * 1000 : 50 + ((i * 37) % 3000),
        cachedInputTokens: missing || i % 3 !== 0 ? 0 : (i * 13) % 2048,
        cacheWrite5mTokens: missing || provider !== 'anthropic' || i % 4 !== 0 ? 0 : 1024 + (i % 5) * 100,
        cacheWrite1hTokens: 0,
        outputTokens: missing ? 0 : 10 + ((i * 53) % 1500),
        reasoningTokens: 0,
      };
      const status: PricingStatus = price === null ? 'unpriced' : missing ? 'usage_missing' : i % 13 === 0 ? 'estimated' : 'priced';
      const person = 1 + (i % 12);
      const served = SERVED[provider]![Math.floor(i / MODELS.length) % SERVED[provider]!.length]!;
      rows.push({
        request_id: `${tag}-${month}-${n}`,
        occurred_at: new Date(start + Math.floor((n * span) / perMonth) + (i % 997)),
        person_id: team === null ? null : BigInt(person),
        email: team === null ? null : `user${person}@acme.example`,
        team,
        cost_center: costCenter,
        provider,
        model,
        platform: served?.[0] ?? null,
        upstream: served?.[1] ?? null,
        endpoint: '/v1/chat/completions',
        stream: i % 2 === 0,
        input_tokens: usage.inputTokens,
        cached_input_tokens: usage.cachedInputTokens,
        cache_write_tokens: usage.cacheWrite5mTokens,
        output_tokens: usage.outputTokens,
        reasoning_tokens: 0,
        wallet_ids: [],
        cost_nanos: price === null || missing ? 0n : costOf(price, usage),
        pricing_status: status,
      });
    }
    for (let k = 0; k < rows.length; k += 500) await db.insertInto('usage_events').values(rows.slice(k, k + 500)).execute();
  }
}
