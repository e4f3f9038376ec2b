import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { chainHead, type ChainHead } from './chain-head.ts';
import type { Checkpoint } from './checkpoint.ts';

export interface AuditResult {
  readonly rows: number;
  readonly ok: boolean;
  /** The first row whose hash or link does not match, if any. */
  readonly firstBadSeq: bigint | null;
  /** The first row holding a value no ledger row may hold (a negative cost or count), if any. */
  readonly firstInvalidSeq: bigint | null;
}

/**
 * Recomputes the hash chain in Postgres with the same canonical text the insert
 * trigger used: an edited, removed or reordered row breaks it. Rows are also checked
 * against the rules the table's constraints state, in case those were dropped (on the
 * columns every schema version has, so an older database still verifies).
 */
export async function verifyLedger(db: Db): Promise<AuditResult> {
  const { rows } = await sql<{ total: bigint; first_bad: bigint | null; first_invalid: bigint | null }>`
    with chain as (
      select e.seq, e.hash,
             e.prev_hash = coalesce(lag(e.hash) over (order by e.seq), sha256(''::bytea)) as linked,
             e.hash = sha256(e.prev_hash || convert_to(usage_event_canonical(e), 'UTF8')) as intact,
             e.seq = row_number() over (order by e.seq) as contiguous,
             e.cost_nanos >= 0 and e.input_tokens >= 0 and e.cached_input_tokens >= 0 and e.cache_write_tokens >= 0
               and e.output_tokens >= 0 and e.reasoning_tokens >= 0 as valid
      from usage_events e
    )
    select count(*)::bigint as total,
           min(seq) filter (where not (linked and intact and contiguous)) as first_bad,
           min(seq) filter (where not valid) as first_invalid
    from chain`.execute(db);
  const head = await sql<{ seq: bigint; matches: boolean }>`
    select h.seq, h.hash = coalesce((select hash from usage_events order by seq desc limit 1), sha256(''::bytea)) as matches
    from ledger_head h`.execute(db);
  const total = rows[0]?.total ?? 0n;
  const firstBad = rows[0]?.first_bad ?? null;
  const firstInvalid = rows[0]?.first_invalid ?? null;
  const tipOk = head.rows[0]?.matches === true && head.rows[0]?.seq === total;
  return {
    rows: Number(total),
    ok: firstBad === null && tipOk && firstInvalid === null,
    firstBadSeq: firstBad ?? (tipOk ? null : total),
    firstInvalidSeq: firstInvalid,
  };
}

/** The chain intact and its head, read in one snapshot (what a checkpoint may sign). */
export async function verifiedHead(db: Db): Promise<{ audit: AuditResult; head: ChainHead }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => ({ audit: await verifyLedger(tx), head: await chainHead(tx) }));
}

export type CheckpointMatch = 'match' | 'differs' | 'missing';

/**
 * Does the ledger still hold, at the checkpoint's sequence number, the hash the
 * checkpoint signed? With an intact chain, a match vouches for every row up to it.
 */
export async function matchCheckpoint(db: Db, checkpoint: Pick<Checkpoint, 'seq' | 'hash'>): Promise<CheckpointMatch> {
  if (checkpoint.seq === '0') return checkpoint.hash === EMPTY_CHAIN_HASH ? 'match' : 'differs';
  const { rows } = await sql<{ hash: string }>`select encode(hash, 'hex') as hash from usage_events where seq = ${checkpoint.seq}::bigint`.execute(db);
  if (!rows[0]) return 'missing';
  return rows[0].hash === checkpoint.hash ? 'match' : 'differs';
}

/** SHA-256 of nothing: the chain's genesis link. */
export const EMPTY_CHAIN_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
