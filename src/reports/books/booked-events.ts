import { sql, type RawBuilder } from 'kysely';
import type { BookCut } from './book-cut.ts';

// The usage_events columns reports read, plus `late`: true for a row of an earlier closed
// month that this month books as an adjustment.
const COLUMNS = sql.raw(
  'e.seq, e.occurred_at, e.person_id, e.email, e.team, e.cost_center, e.provider, e.model, e.input_tokens, ' +
    'e.cached_input_tokens, e.cache_write_tokens, e.output_tokens, e.cost_nanos, e.pricing_status, e.upstream, e.platform',
);

export interface BookScope {
  /** Regular rows: occurred in [from, to) — the month, or part of it for a range report. */
  readonly from: Date;
  readonly to: Date;
  /** The month's first instant: adjustments occurred before it. */
  readonly monthStart: Date;
  readonly cut: BookCut;
  /** Adjustments are dated the month's last day: a range that does not reach it leaves them out. */
  readonly withAdjustments: boolean;
}

/** A FROM item (alias it) with the rows a month's books hold in the scope. */
export function bookedEvents(scope: BookScope): RawBuilder<unknown> {
  const { cut, prevCut, booksStart } = scope.cut;
  const regular = sql`select ${COLUMNS}, false as late from usage_events e
    where e.occurred_at >= ${scope.from} and e.occurred_at < ${scope.to}${cut === null ? sql`` : sql` and e.seq <= ${cut}`}`;
  if (!scope.withAdjustments || prevCut === null || booksStart === null) return sql`(${regular})`;
  // Late rows are found by seq (the primary key), not by date: few, and all after the previous cut.
  return sql`(${regular} union all select ${COLUMNS}, true as late from usage_events e
    where e.seq > ${prevCut}${cut === null ? sql`` : sql` and e.seq <= ${cut}`}
      and e.occurred_at >= ${booksStart} and e.occurred_at < ${scope.monthStart})`;
}
