// The ledger row as the SQL functions build it: jsonb_populate_record(null::usage_events, …)
// reads a reservation's context merged with a settlement's event, by column name. A key that
// is not a column would silently become a NULL column; typed from the table here, it is a
// compile error instead.
import type { Selectable } from 'kysely';
import type { UsageEventsTable } from '../db/database.ts';

/** How a column's value travels in JSON: bigints and timestamps as strings. */
type Json<T> = T extends bigint ? string : T extends Date ? string : T extends readonly (infer U)[] ? Json<U>[] : T;

type Row = Selectable<UsageEventsTable>;

/** Any subset of a usage_events row, as JSON. */
export type UsageEventJson = { readonly [K in keyof Row]?: Json<Row[K]> };

type Columns<K extends keyof Row> = { readonly [C in K]: Json<Row[C]> };

/**
 * What a reservation carries for its ledger row, written when it is reserved so that the
 * sweeper can settle it with nothing else: who (a person, or a service key and its account),
 * their team then, what was called, and where it was served (the configured upstream's name,
 * i.e. the contract, and its platform: azure-openai, bedrock, …).
 */
export type LedgerContext = Columns<'person_id' | 'email' | 'team' | 'cost_center' | 'provider' | 'model' | 'endpoint' | 'stream'> &
  Partial<Columns<'api_key_id' | 'service_account' | 'upstream' | 'platform'>>;

/** What the response told, merged over the context when the request is settled. */
export type SettlementEvent = Columns<
  'pricing_status' | 'input_tokens' | 'cached_input_tokens' | 'cache_write_tokens' | 'output_tokens' | 'reasoning_tokens' | 'http_status' | 'latency_ms' | 'occurred_at'
>;
