import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface AuditResult {
  readonly rows: number;
  readonly ok: boolean;
  /** The first row whose hash or link does not match, if any. */
  readonly firstBadSeq: bigint | null;
}

/**
 * Recomputes the hash chain in Postgres with the same canonical text the insert
 * trigger used: an edited, removed or reordered row breaks it.
 */
export async function verifyLedger(db: Db): Promise<AuditResult> {
  const { rows } = await sql<{ total: bigint; first_bad: bigint | null }>`
    with chain as (
      select e.seq, e.hash,
             e.prev_hash = coalesce(lag(e.hash) over (order by e.seq), sha256(''::bytea)) as linked,
             e.hash = sha256(e.prev_hash || convert_to(usage_event_canonical(e), 'UTF8')) as intact,
             e.seq = row_number() over (order by e.seq) as contiguous
      from usage_events e
    )
    select count(*)::bigint as total,
           min(seq) filter (where not (linked and intact and contiguous)) as first_bad
    from chain`.execute(db);
  const head = await sql<{ seq: bigint; matches: boolean }>`
    select h.seq, h.hash = coalesce((select hash from usage_events order by seq desc limit 1), sha256(''::bytea)) as matches
    from ledger_head h`.execute(db);
  const total = rows[0]?.total ?? 0n;
  const firstBad = rows[0]?.first_bad ?? null;
  const tipOk = head.rows[0]?.matches === true && head.rows[0]?.seq === total;
  return { rows: Number(total), ok: firstBad === null && tipOk, firstBadSeq: firstBad ?? (tipOk ? null : total) };
}
