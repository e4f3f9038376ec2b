import type { Db } from '../db/database.ts';
import type { Logger } from 'pino';
import { claimDue, markFailed, markSent, markSkipped, type ClaimedDelivery, type OutboxTable, type RetryPolicy } from './outbox.repository.ts';
import type { EmailMessage, Senders } from './senders.ts';

/** What one message looks like on each channel; the recipient is filled in per delivery. */
export interface RenderedMessage {
  readonly email: Omit<EmailMessage, 'to'>;
  readonly webhook: unknown;
}

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

export interface OutboxDeps {
  readonly db: Db;
  readonly senders: Senders;
  readonly retry: RetryPolicy;
  readonly logger?: Logger;
  readonly batchSize?: number;
  /** When deliveries are due and their back-off ends; default: the database's clock. Tests move their own. */
  readonly clock?: () => Date;
}

/**
 * Delivers every due row of `table` once: claims a batch, renders its messages with
 * `render` (by ref: alert id or month), sends, marks each row; claims again while batches
 * come back full. A row that fails waits for its back-off and a later run (or watch tick).
 */
export async function dispatchOutbox(
  deps: OutboxDeps,
  table: OutboxTable,
  render: (refs: readonly string[]) => Promise<ReadonlyMap<string, RenderedMessage>>,
): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const size = deps.batchSize ?? 25;
  for (;;) {
    const batch = await claimDue(deps.db, table, size, deps.retry.leaseMs, deps.clock?.() ?? null);
    if (batch.length === 0) return result;
    const messages = await render([...new Set(batch.map((d) => d.ref))]);
    await Promise.all(batch.map((d) => deliverOne(deps, table, d, messages.get(d.ref), result)));
    if (batch.length < size) return result;
  }
}

async function deliverOne(deps: OutboxDeps, table: OutboxTable, d: ClaimedDelivery, message: RenderedMessage | undefined, result: DispatchResult): Promise<void> {
  const { senders } = deps;
  if (!message) {
    await markSkipped(deps.db, table, d.id, 'message no longer exists');
    result.skipped++;
    return;
  }
  if (d.channel === 'email' && !senders.email) {
    await markSkipped(deps.db, table, d.id, 'SMTP is not configured (STIPEND_SMTP_URL)');
    result.skipped++;
    return;
  }
  if (d.channel === 'webhook' && (!senders.webhook || !senders.webhookUrl)) {
    await markSkipped(deps.db, table, d.id, 'no webhook is configured');
    result.skipped++;
    return;
  }
  try {
    if (d.channel === 'email') await senders.email!({ ...message.email, to: d.recipient });
    else await senders.webhook!(senders.webhookUrl!, message.webhook);
    await markSent(deps.db, table, d.id, deps.clock?.() ?? null);
    result.sent++;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const status = await markFailed(deps.db, table, d, reason, deps.retry, deps.clock?.() ?? null);
    if (status === 'failed') result.failed++;
    else result.retrying++;
    deps.logger?.warn({ table, id: String(d.id), channel: d.channel, attempt: d.attempts, status, err: reason }, 'delivery failed');
  }
}
