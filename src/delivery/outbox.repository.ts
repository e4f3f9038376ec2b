// A delivery outbox: one row per (message, channel, recipient). Dispatchers claim due rows
// with FOR UPDATE SKIP LOCKED and a lease (status 'sending' until next_attempt_at), send,
// then mark them sent; a row whose dispatcher died is claimed again when its lease ends.
// Time is Postgres's now() unless the caller passes its own `at` (tests move a clock instead of sleeping).
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DeliveryChannel, DeliveryStatus } from './delivery-tables.ts';

export type OutboxTable = 'alert_deliveries' | 'monthly_report_deliveries';

export interface ClaimedDelivery {
  readonly id: bigint;
  readonly ref: string; // alert id or month
  readonly channel: DeliveryChannel;
  readonly recipient: string;
  readonly attempts: number; // including this one
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number; // first retry after this, then doubling
  readonly maxDelayMs: number;
  readonly leaseMs: number; // how long a claim holds before another dispatcher may retry it
}

const REF: Readonly<Record<OutboxTable, string>> = { alert_deliveries: 'alert_id', monthly_report_deliveries: 'month' };

/** `at`: the dispatcher's clock, or null for the database's. */
const nowOr = (at: Date | null) => (at ? sql`${at.toISOString()}::timestamptz` : sql`now()`);

export async function claimDue(db: Db, table: OutboxTable, limit: number, leaseMs: number, at: Date | null = null): Promise<ClaimedDelivery[]> {
  const t = sql.table(table);
  const now = nowOr(at);
  const { rows } = await sql<{ id: bigint; ref: string; channel: DeliveryChannel; recipient: string; attempts: number }>`
    update ${t} as d
       set status = 'sending', attempts = d.attempts + 1, next_attempt_at = ${now} + ${`${leaseMs} milliseconds`}::interval
     where d.id in (select id from ${t}
                     where status in ('pending', 'sending') and next_attempt_at <= ${now}
                     order by next_attempt_at, id
                     limit ${limit}
                     for update skip locked)
    returning d.id, d.${sql.ref(REF[table])}::text as ref, d.channel, d.recipient, d.attempts`.execute(db);
  return rows;
}

export async function markSent(db: Db, table: OutboxTable, id: bigint, at: Date | null = null): Promise<void> {
  await sql`update ${sql.table(table)} set status = 'sent', sent_at = ${nowOr(at)}, last_error = null
             where id = ${id} and status = 'sending'`.execute(db);
}

export async function markSkipped(db: Db, table: OutboxTable, id: bigint, reason: string): Promise<void> {
  await sql`update ${sql.table(table)} set status = 'skipped', last_error = ${reason} where id = ${id}`.execute(db);
}

/** Exponential back-off: baseDelay · 2^(attempt-1), capped. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Schedules a retry, or gives up ('failed') after maxAttempts. Returns the new status. */
export async function markFailed(db: Db, table: OutboxTable, delivery: ClaimedDelivery, error: string, policy: RetryPolicy, at: Date | null = null): Promise<DeliveryStatus> {
  const status: DeliveryStatus = delivery.attempts >= policy.maxAttempts ? 'failed' : 'pending';
  await sql`update ${sql.table(table)}
               set status = ${status}, last_error = ${error.slice(0, 2000)},
                   next_attempt_at = ${nowOr(at)} + ${`${backoffMs(delivery.attempts, policy)} milliseconds`}::interval
             where id = ${delivery.id} and status = 'sending'`.execute(db);
  return status;
}
