import { sql } from 'kysely';
import type { Db, PricingStatus } from '../db/database.ts';
import { bookedEvents, type BookScope } from './books/booked-events.ts';

/** `upstream`: where it was served (the contract, e.g. bedrock-us-east-1); rows from before 0018 by their provider. */
export const DIMENSIONS = ['team', 'cost_center', 'person', 'provider', 'model', 'upstream', 'day'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A report range: local dates (inclusive) in a time zone; days start at local midnight. */
export interface ReportRange {
  readonly from: string; // YYYY-MM-DD
  readonly to: string; // YYYY-MM-DD, inclusive
  readonly timeZone: string;
}

export interface AggregateRow {
  /** An adjustment: late rows of closed months, booked (and rounded) apart from the month's own. */
  readonly late: boolean;
  readonly dimension: Dimension | 'total';
  readonly key: readonly (string | null)[];
  readonly spendNanos: bigint; // priced + estimated only
  readonly estimatedNanos: bigint;
  readonly counts: Readonly<Record<PricingStatus, number>>;
  readonly inputTokens: bigint;
  readonly outputTokens: bigint;
}

interface RawRow {
  g: number;
  late: boolean;
  team: string | null;
  cost_center: string | null;
  person_id: bigint | null;
  email: string | null;
  provider: string | null;
  model: string | null;
  upstream: string | null;
  day: string | null;
  spend: bigint;
  estimated: bigint;
  n_priced: bigint;
  n_estimated: bigint;
  n_unpriced: bigint;
  n_usage_missing: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
}

// grouping(team, cost_center, person_id, provider, model, upstream, day): a bit is 1 when
// the column is NOT part of the set. Bits from the left: team=64 … day=1.
const SETS: Readonly<Record<number, Dimension | 'total'>> = {
  [127 - 64]: 'team',
  [127 - 32]: 'cost_center',
  [127 - 16]: 'person',
  [127 - 8]: 'provider',
  [127 - 8 - 4]: 'model',
  [127 - 2]: 'upstream',
  [127 - 1]: 'day',
  127: 'total',
};

/**
 * Every dimension from ONE scan of the scope (a month's books, or part of them): rows are
 * first summed per (part, team, cost center, person, provider, model, upstream, local day) in a hash
 * table, then the grouping sets run over those few thousand partial sums. Adjustments (late
 * rows of closed months) are dated `adjustmentDay` and kept apart (`late`). Only priced and
 * estimated rows add to spend; every row adds to its pricing status's count.
 */
export async function aggregateSpend(db: Db, scope: BookScope, timeZone: string, adjustmentDay: string): Promise<AggregateRow[]> {
  const rows = await db.transaction().execute(async (tx) => {
    // The partial sums fit in memory; the default 4 MB would make Postgres sort on disk instead.
    await sql`set local work_mem = '64MB'`.execute(tx);
    const result = await sql<RawRow>`
      with e as (
        select late, team, cost_center, person_id, min(email) as email, provider, model,
               coalesce(upstream, provider) as upstream,
               case when late then ${adjustmentDay} else to_char(occurred_at at time zone ${timeZone}, 'YYYY-MM-DD') end as day,
               sum(cost_nanos) filter (where pricing_status in ('priced', 'estimated')) as spend,
               sum(cost_nanos) filter (where pricing_status = 'estimated') as estimated,
               count(*) filter (where pricing_status = 'priced') as n_priced,
               count(*) filter (where pricing_status = 'estimated') as n_estimated,
               count(*) filter (where pricing_status = 'unpriced') as n_unpriced,
               count(*) filter (where pricing_status = 'usage_missing') as n_usage_missing,
               sum(input_tokens::bigint + cached_input_tokens + cache_write_tokens) as input_tokens,
               sum(output_tokens::bigint) as output_tokens
          from ${bookedEvents(scope)} as b
         group by late, team, cost_center, person_id, provider, model, 8, 9
      )
      select grouping(team, cost_center, person_id, provider, model, upstream, day)::int as g, late,
             team, cost_center, person_id, min(email) as email, provider, model, upstream, day,
             coalesce(sum(spend), 0)::bigint as spend, coalesce(sum(estimated), 0)::bigint as estimated,
             sum(n_priced)::bigint as n_priced, sum(n_estimated)::bigint as n_estimated,
             sum(n_unpriced)::bigint as n_unpriced, sum(n_usage_missing)::bigint as n_usage_missing,
             coalesce(sum(input_tokens), 0)::bigint as input_tokens, coalesce(sum(output_tokens), 0)::bigint as output_tokens
        from e
       group by grouping sets ((late, team), (late, cost_center), (late, person_id), (late, provider), (late, provider, model), (late, upstream), (late, day), (late))`.execute(tx);
    return result.rows;
  });
  return rows.map((r) => {
    const dimension = SETS[r.g];
    if (!dimension) throw new Error(`unexpected grouping ${r.g}`);
    return {
      late: r.late,
      dimension,
      key: keyOf(dimension, r),
      spendNanos: r.spend,
      estimatedNanos: r.estimated,
      counts: {
        priced: Number(r.n_priced ?? 0n),
        estimated: Number(r.n_estimated ?? 0n),
        unpriced: Number(r.n_unpriced ?? 0n),
        usage_missing: Number(r.n_usage_missing ?? 0n),
      },
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
    };
  });
}

function keyOf(dimension: Dimension | 'total', r: RawRow): (string | null)[] {
  switch (dimension) {
    case 'team':
      return [r.team];
    case 'cost_center':
      return [r.cost_center];
    case 'person':
      return [r.person_id === null ? null : String(r.person_id), r.email];
    case 'provider':
      return [r.provider];
    case 'model':
      return [r.provider, r.model];
    case 'upstream':
      return [r.upstream];
    case 'day':
      return [r.day];
    case 'total':
      return [];
  }
}

/** Display names of teams by "namespace/name". */
export async function teamNames(db: Db): Promise<Map<string, { displayName: string | null; costCenter: string | null }>> {
  const rows = await db.selectFrom('teams').select(['namespace', 'name', 'display_name', 'cost_center']).execute();
  return new Map(rows.map((t) => [`${t.namespace}/${t.name}`, { displayName: t.display_name, costCenter: t.cost_center }]));
}
