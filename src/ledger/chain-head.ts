import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** The ledger's tip: the last row's sequence number and hash (seq 0 and SHA-256 of nothing when empty). */
export interface ChainHead {
  readonly seq: bigint;
  /** Lower-case hex SHA-256. */
  readonly hash: string;
}

/**
 * The chain head as of the caller's snapshot. A report or checkpoint that quotes it lets
 * anyone later prove that rows 1…seq are still the ones it covered (`stipend audit verify`).
 */
export async function chainHead(db: Db): Promise<ChainHead> {
  const { rows } = await sql<{ seq: bigint; hash: string }>`select seq, encode(hash, 'hex') as hash from ledger_head`.execute(db);
  const head = rows[0];
  if (!head) throw new Error('ledger_head has no row: the database is not migrated');
  return { seq: BigInt(head.seq), hash: head.hash };
}
