import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.ts';

export const LEDGER_START = '2026-01-01T00:00:00Z';
/** 2026-02-14 (UTC) has no rows: the daily series must show it as zero. */
export const EMPTY_DAY = '2026-02-14';

/**
 * A ledger of `rows` rows spread over January–March 2026 (UTC), 4 teams with their own cost
 * centers, 20 people, 3 providers, 6 models and every pricing status. Inserted through the
 * real table (the hash-chain trigger runs for each row), in batches so each statement stays short.
 */
export async function generateLedger(db: Db, rows: number, batch = 500): Promise<void> {
  const span = Date.parse('2026-04-01T00:00:00Z') - Date.parse(LEDGER_START);
  const step = Math.floor(span / rows); // milliseconds between rows
  for (let from = 1; from <= rows; from += batch) {
    const to = Math.min(rows, from + batch - 1);
    await sql`
      insert into usage_events (request_id, occurred_at, person_id, email, team, cost_center, provider, model,
        endpoint, stream, input_tokens, cached_input_tokens, output_tokens, cost_nanos, pricing_status)
      select 'gen-' || i, ts, p, 'user' || p || '@acme.example', t.team, t.cc, m.provider, m.model,
             '/v1/chat/completions', i % 3 = 0, 100 + i % 900, i % 50, 20 + i % 400,
             case when st in ('unpriced', 'usage_missing') then 0 else 1 + (i::bigint * 7919 % 1000003) * 53 end,
             st
        from (select i,
                     ${LEDGER_START}::timestamptz + make_interval(secs => (i::bigint * ${step}) / 1000.0) as ts,
                     1 + i % 20 as p,
                     case when i % 97 = 0 then 'unpriced' when i % 89 = 0 then 'usage_missing'
                          when i % 13 = 0 then 'estimated' else 'priced' end as st
                from generate_series(${from}::int, ${to}::int) as i) g
        join (values (0, 'acme/engineering', 'CC-ENG-001'), (1, 'acme/product', 'CC-PROD-001'),
                     (2, 'acme/design', 'CC-DES-001'), (3, 'acme/support', 'CC-SUP-001')) as t(k, team, cc) on t.k = g.p % 4
        join (values (0, 'openai', 'gpt-4o'), (1, 'openai', 'gpt-4o-mini'), (2, 'anthropic', 'claude-sonnet-4-5'),
                     (3, 'anthropic', 'claude-haiku-4-5'), (4, 'google', 'gemini-2.5-pro'), (5, 'google', 'gemini-2.5-flash'))
             as m(k, provider, model) on m.k = g.i % 6
       where to_char(ts at time zone 'UTC', 'YYYY-MM-DD') <> ${EMPTY_DAY}
       order by i`.execute(db);
  }
}

/** The ledger's own totals, straight from SQL, for tie-outs. */
export async function ledgerTotals(db: Db, start: Date, end: Date) {
  const { rows } = await sql<{ spend: bigint; n: bigint; unpriced: bigint; usage_missing: bigint; estimated: bigint; priced: bigint }>`
    select coalesce(sum(cost_nanos) filter (where pricing_status in ('priced', 'estimated')), 0)::bigint as spend,
           count(*) as n,
           count(*) filter (where pricing_status = 'priced') as priced,
           count(*) filter (where pricing_status = 'estimated') as estimated,
           count(*) filter (where pricing_status = 'unpriced') as unpriced,
           count(*) filter (where pricing_status = 'usage_missing') as usage_missing
      from usage_events where occurred_at >= ${start} and occurred_at < ${end}`.execute(db);
  return rows[0]!;
}
