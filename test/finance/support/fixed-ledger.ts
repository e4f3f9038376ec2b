// A small, fixed March 2026 ledger for golden files: amounts chosen so that rounding each line
// on its own would not add up (half cents on three lines of one vendor), an estimated row, a
// row without a team, and rows that are not booked (unpriced, usage missing).
import type { Insertable } from 'kysely';
import type { Db, PricingStatus, UsageEventsTable } from '../../../src/db/database.ts';

const ROWS: readonly [team: string | null, costCenter: string | null, provider: string, model: string, nanos: bigint, status: PricingStatus][] = [
  ['acme/engineering', 'CC-ENG-001', 'openai', 'gpt-4o', 1_235_000_000n, 'priced'],
  ['acme/product', 'CC-PROD-001', 'openai', 'gpt-4o', 2_345_000_000n, 'priced'],
  ['acme/design', 'CC-DES-001', 'openai', 'gpt-4o', 3_455_000_000n, 'priced'],
  ['acme/engineering', 'CC-ENG-001', 'openai', 'gpt-4o-mini', 4_999_999n, 'priced'],
  ['acme/engineering', 'CC-ENG-001', 'anthropic', 'claude-sonnet-4-5', 12_345_678_901n, 'priced'],
  ['acme/design', 'CC-DES-001', 'anthropic', 'claude-sonnet-4-5', 333_333_333n, 'priced'],
  ['acme/design', 'CC-DES-001', 'anthropic', 'claude-sonnet-4-5', 333_333_333n, 'priced'],
  ['acme/design', 'CC-DES-001', 'anthropic', 'claude-sonnet-4-5', 333_333_333n, 'estimated'],
  ['acme/product', 'CC-PROD-001', 'google', 'gemini-2.5-flash', 5_000_000_005n, 'estimated'],
  [null, null, 'google', 'gemini-2.5-flash', 777_777_777n, 'priced'],
  ['acme/product', 'CC-PROD-001', 'openai', 'gpt-unlisted-preview', 0n, 'unpriced'],
  ['acme/engineering', 'CC-ENG-001', 'anthropic', 'claude-haiku-4-5', 0n, 'usage_missing'],
];

/** Inserts the fixed rows on the given days of March 2026 (UTC), ids prefixed with `tag`. */
export async function insertFixedLedger(db: Db, tag = 'fixed', at: (i: number) => Date = (i) => new Date(Date.UTC(2026, 2, 1 + i, 12))): Promise<void> {
  const rows: Insertable<UsageEventsTable>[] = ROWS.map(([team, costCenter, provider, model, nanos, status], i) => ({
    request_id: `${tag}-${i}`,
    occurred_at: at(i),
    person_id: null,
    email: team === null ? null : `${team.split('/')[1]}@acme.example`,
    team,
    cost_center: costCenter,
    provider,
    model,
    endpoint: '/v1/chat/completions',
    stream: false,
    input_tokens: status === 'usage_missing' ? 0 : 1000 + i,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: status === 'usage_missing' ? 0 : 100 + i,
    reasoning_tokens: 0,
    cost_nanos: nanos,
    pricing_status: status,
    wallet_ids: [],
  }));
  await db.insertInto('usage_events').values(rows).execute();
}

/** One row of `nanos` on `at`, as a request that settles then. */
export async function insertRow(db: Db, id: string, at: Date, nanos: bigint, team = 'acme/engineering', costCenter = 'CC-ENG-001', provider = 'openai', model = 'gpt-4o'): Promise<void> {
  await db
    .insertInto('usage_events')
    .values({
      request_id: id,
      occurred_at: at,
      person_id: null,
      email: `${team.split('/')[1]}@acme.example`,
      team,
      cost_center: costCenter,
      provider,
      model,
      endpoint: '/v1/chat/completions',
      stream: false,
      input_tokens: 500,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 50,
      reasoning_tokens: 0,
      cost_nanos: nanos,
      pricing_status: 'priced',
      wallet_ids: [],
    })
    .execute();
}

// Calls served where finance is invoiced by someone other than the maker (issue 13): Claude on
// Bedrock (AWS) and on Vertex AI (Google), GPT on Azure OpenAI (Microsoft), Gemini on Vertex AI
// (Google, like the Gemini API), and one first-party row that records its platform.
const CLOUD_ROWS: readonly [team: string, costCenter: string, provider: string, model: string, platform: string, upstream: string, nanos: bigint][] = [
  ['acme/engineering', 'CC-ENG-001', 'anthropic', 'claude-sonnet-4-5', 'bedrock', 'bedrock-us-east-1', 2_222_222_222n],
  ['acme/design', 'CC-DES-001', 'anthropic', 'claude-sonnet-4-5', 'vertex-ai', 'vertex-europe', 1_111_111_111n],
  ['acme/product', 'CC-PROD-001', 'openai', 'gpt-4o', 'azure-openai', 'azure-eu', 3_333_333_333n],
  ['acme/product', 'CC-PROD-001', 'google', 'gemini-2.5-flash', 'vertex-ai', 'vertex-europe', 444_444_444n],
  ['acme/engineering', 'CC-ENG-001', 'anthropic', 'claude-haiku-4-5', 'anthropic', 'anthropic', 555_555_555n],
];
/** The booked total of the cloud-served rows. */
export const CLOUD_ROWS_NANOS = CLOUD_ROWS.reduce((s, r) => s + r[6], 0n);

/** Inserts the cloud-served rows on March 20–24, 2026 (UTC). */
export async function insertCloudServedRows(db: Db, tag = 'cloud'): Promise<void> {
  const rows: Insertable<UsageEventsTable>[] = CLOUD_ROWS.map(([team, costCenter, provider, model, platform, upstream, nanos], i) => ({
    request_id: `${tag}-${i}`,
    occurred_at: new Date(Date.UTC(2026, 2, 20 + i, 12)),
    person_id: null,
    email: `${team.split('/')[1]}@acme.example`,
    team,
    cost_center: costCenter,
    provider,
    model,
    platform,
    upstream,
    endpoint: provider === 'anthropic' ? '/v1/messages' : '/v1/chat/completions',
    stream: false,
    input_tokens: 2000 + i,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 200 + i,
    reasoning_tokens: 0,
    cost_nanos: nanos,
    pricing_status: 'priced',
    wallet_ids: [],
  }));
  await db.insertInto('usage_events').values(rows).execute();
}
