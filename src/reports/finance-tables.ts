// Kysely shapes of the finance tables (migrations 0006 and 0007). Kept beside the code
// that owns them and joined onto the core Database with `withTables`.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database, Db } from '../db/database.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type DeliveryChannel = 'email' | 'webhook';

/** 'threshold' | 'exhausted' | 'forecast' | 'anomaly' | kinds other migrations add (open text). */
export type AlertKind = string;

export interface BudgetAlertsTable {
  readonly id: Generated<bigint>;
  kind: Generated<AlertKind>;
  wallet_id: bigint | null; // null for team and person subjects
  budget_id: bigint | null;
  owner: string; // 'shared' | 'person:<id>' | 'team:<id>'
  period_start: Timestamp;
  period_end: Timestamp;
  threshold: number | null; // percent, threshold alerts only
  spent_nanos: bigint;
  limit_nanos: bigint;
  details: Generated<unknown>;
  dedupe_key: string | null;
  finance_fanned_out: Generated<boolean>;
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
