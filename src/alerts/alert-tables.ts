// Kysely shapes of the alert tables (migrations 0006, 0008, 0013), joined onto the core
// Database with `withTables`.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { DeliveryColumns } from '../delivery/delivery-tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

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

export interface AlertDeliveriesTable extends DeliveryColumns {
  alert_id: bigint;
}

export type AlertTables = {
  budget_alerts: BudgetAlertsTable;
  alert_deliveries: AlertDeliveriesTable;
};

export type AlertsDb = Kysely<Database & AlertTables>;

export function alertsDb(db: Db): AlertsDb {
  return db.withTables<AlertTables>();
}
