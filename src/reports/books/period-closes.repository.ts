import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CloseMark } from './book-cut.ts';
import { closeDb, type PeriodClosesTable } from './close-tables.ts';

export interface CloseRecord {
  readonly month: string;
  readonly timeZone: string;
  readonly start: Date;
  readonly end: Date;
  readonly cutoffSeq: bigint;
  readonly cutoffHash: string; // hex
  readonly lastRowSeq: bigint | null;
  readonly lastRowHash: string | null;
  readonly graceMs: bigint;
  readonly closedAt: Date;
  readonly closedBy: string;
}

export interface StoredFile {
  readonly name: string;
  readonly format: string;
  readonly content: Buffer;
  readonly sha256: string; // hex
  readonly totalNanos: bigint | null;
}

export interface NewFile {
  readonly name: string;
  readonly format: string;
  readonly content: Buffer;
  readonly totalNanos: bigint | null;
}

function toRecord(r: { [K in keyof PeriodClosesTable]: unknown }): CloseRecord {
  return {
    month: r.month as string,
    timeZone: r.time_zone as string,
    start: new Date(r.period_start as Date),
    end: new Date(r.period_end as Date),
    cutoffSeq: BigInt(r.cutoff_seq as bigint),
    cutoffHash: (r.cutoff_hash as Buffer).toString('hex'),
    lastRowSeq: r.last_row_seq === null ? null : BigInt(r.last_row_seq as bigint),
    lastRowHash: r.last_row_hash === null ? null : (r.last_row_hash as Buffer).toString('hex'),
    graceMs: BigInt(r.grace_ms as bigint),
    closedAt: new Date(r.closed_at as Date),
    closedBy: r.closed_by as string,
  };
}

/** Every closed month, oldest first (a small table: one row a month). */
export async function listCloses(db: Db): Promise<CloseRecord[]> {
  const rows = await closeDb(db).selectFrom('period_closes').selectAll().orderBy('month').execute();
  return rows.map(toRecord);
}

export function closeMarks(closes: readonly CloseRecord[]): CloseMark[] {
  return closes.map((c) => ({ month: c.month, start: c.start, cutoffSeq: c.cutoffSeq }));
}

/** The ledger's head (last seq and its chain hash). Every row up to it is committed: the insert
 * that set it held the head's row lock until it committed, after every earlier one. */
export async function readLedgerHead(db: Db): Promise<{ seq: bigint; hash: Buffer }> {
  const { rows } = await sql<{ seq: bigint; hash: Buffer }>`select seq, hash from ledger_head`.execute(db);
  return rows[0]!;
}

/** The last row (seq, hash) at or before `cut` that occurred in [start, end). */
export async function lastRowBefore(db: Db, start: Date, end: Date, cut: bigint): Promise<{ seq: bigint; hash: Buffer } | null> {
  const { rows } = await sql<{ seq: bigint; hash: Buffer }>`
    select seq, hash from usage_events where occurred_at >= ${start} and occurred_at < ${end} and seq <= ${cut}
     order by seq desc limit 1`.execute(db);
  return rows[0] ?? null;
}

export const sha256Hex = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

export async function readCloseFile(db: Db, month: string, name: string): Promise<StoredFile | null> {
  const row = await closeDb(db)
    .selectFrom('period_close_files')
    .select(['name', 'format', 'content', 'sha256', 'total_nanos'])
    .where('month', '=', month)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? { name: row.name, format: row.format, content: row.content, sha256: row.sha256.toString('hex'), totalNanos: row.total_nanos === null ? null : BigInt(row.total_nanos) } : null;
}

export async function listCloseFiles(db: Db, month: string): Promise<Omit<StoredFile, 'content'>[]> {
  const rows = await closeDb(db).selectFrom('period_close_files').select(['name', 'format', 'sha256', 'total_nanos']).where('month', '=', month).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, format: r.format, sha256: r.sha256.toString('hex'), totalNanos: r.total_nanos === null ? null : BigInt(r.total_nanos) }));
}

const fileRow = (month: string, f: NewFile) => ({
  month,
  name: f.name,
  format: f.format,
  content: f.content,
  sha256: Buffer.from(sha256Hex(f.content), 'hex'),
  total_nanos: f.totalNanos,
});

/** Adds a file to a closed month once; a concurrent writer's copy wins and is returned. */
export async function storeCloseFile(db: Db, month: string, file: NewFile): Promise<StoredFile> {
  await closeDb(db)
    .insertInto('period_close_files')
    .values(fileRow(month, file))
    .onConflict((oc) => oc.columns(['month', 'name']).doNothing())
    .execute();
  return (await readCloseFile(db, month, file.name))!;
}

export interface NewClose {
  readonly month: string;
  readonly timeZone: string;
  readonly start: Date;
  readonly end: Date;
  readonly cutoffSeq: bigint;
  readonly cutoffHash: Buffer;
  readonly lastRow: { seq: bigint; hash: Buffer } | null;
  readonly graceMs: number;
  readonly closedAt: Date;
  readonly closedBy: string;
  readonly files: readonly NewFile[];
}

/**
 * Writes the close and its files in one transaction, serialized with other closes by an
 * advisory lock; `check` runs under the lock against the closes as they are then (order rules).
 * Returns false when the month was closed meanwhile.
 */
export async function insertClose(db: Db, close: NewClose, check: (closes: readonly CloseRecord[]) => void): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('stipend_period_close'))`.execute(tx);
    const closes = await listCloses(tx);
    if (closes.some((c) => c.month === close.month)) return false;
    check(closes);
    const cdb = closeDb(tx);
    await cdb
      .insertInto('period_closes')
      .values({
        month: close.month,
        time_zone: close.timeZone,
        period_start: close.start,
        period_end: close.end,
        cutoff_seq: close.cutoffSeq,
        cutoff_hash: close.cutoffHash,
        last_row_seq: close.lastRow?.seq ?? null,
        last_row_hash: close.lastRow?.hash ?? null,
        grace_ms: BigInt(close.graceMs),
        closed_at: close.closedAt,
        closed_by: close.closedBy,
      })
      .execute();
    if (close.files.length > 0) {
      await cdb
        .insertInto('period_close_files')
        .values(close.files.map((f) => fileRow(close.month, f)))
        .execute();
    }
    return true;
  });
}
