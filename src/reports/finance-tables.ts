// Kysely shapes of the finance tables (migrations 0006 and 0007). Kept beside the code
// that owns them and joined onto the core Database with `withTables`.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database, Db } from '../db/database.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type DeliveryChannel = 'email' | 'webhook';

export interface BudgetAlertsTable {
  readonly id: Generated<bigint>;
  wallet_id: bigint;
  budget_id: bigint;
  owner: string;
  period_start: Timestamp;
  period_end: Timestamp;
  /** 'threshold' (percent crossed), 'overage' (a settlement above its reservation), or later kinds. */
  kind: Generated<string>;
  threshold: number | null;
  spent_nanos: bigint;
  limit_nanos: bigint;
  request_id: string | null;
  overage_nanos: bigint | null;
  created_at: Generated<Date>;
}

/** The columns every delivery outbox shares (alerts and monthly reports). */
export interface DeliveryColumns {
  readonly id: Generated<bigint>;
  channel: DeliveryChannel;
  recipient: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  sent_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface AlertDeliveriesTable extends DeliveryColumns {
  alert_id: bigint;
}

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
  budget_alerts: BudgetAlertsTable;
  alert_deliveries: AlertDeliveriesTable;
  monthly_reports: MonthlyReportsTable;
  monthly_report_deliveries: MonthlyReportDeliveriesTable;
};

export type FinanceDb = Kysely<Database & FinanceTables>;

export function financeDb(db: Db): FinanceDb {
  return db.withTables<FinanceTables>();
}
