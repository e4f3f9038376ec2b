// Columns every delivery outbox shares (alerts: alert_deliveries, monthly reports:
// monthly_report_deliveries). The features own their tables; this module owns the shape
// the dispatcher claims, sends and marks.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type DeliveryChannel = 'email' | 'webhook';

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
