// Kysely shapes of the monthly report tables (migration 0007), joined onto the core
// Database with `withTables`.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { DeliveryColumns } from '../delivery/delivery-tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface MonthlyReportsTable {
  month: string;
  time_zone: string;
  period_start: Timestamp;
  period_end: Timestamp;
  summary: unknown;
  created_at: Generated<Date>;
}

export interface MonthlyReportDeliveriesTable extends DeliveryColumns {
  month: string;
}

export type FinanceTables = {
  monthly_reports: MonthlyReportsTable;
  monthly_report_deliveries: MonthlyReportDeliveriesTable;
};

export type FinanceDb = Kysely<Database & FinanceTables>;

export function financeDb(db: Db): FinanceDb {
  return db.withTables<FinanceTables>();
}
