// Kysely shapes of the period-close tables (migration 0011), joined onto the core Database.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database, Db } from '../../db/database.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PeriodClosesTable {
  month: string;
  time_zone: string;
  period_start: Timestamp;
  period_end: Timestamp;
  cutoff_seq: bigint;
  cutoff_hash: Buffer;
  last_row_seq: bigint | null;
  last_row_hash: Buffer | null;
  grace_ms: bigint;
  closed_at: Generated<Date>;
  closed_by: string;
}

export interface PeriodCloseFilesTable {
  month: string;
  name: string;
  format: string;
  content: Buffer;
  sha256: Buffer;
  total_nanos: bigint | null;
  created_at: Generated<Date>;
}

export type CloseTables = { period_closes: PeriodClosesTable; period_close_files: PeriodCloseFilesTable };
export type CloseDb = Kysely<Database & CloseTables>;

export function closeDb(db: Db): CloseDb {
  return db.withTables<CloseTables>();
}
