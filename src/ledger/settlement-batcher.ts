import type { Db } from '../db/database.ts';
import { isTransientDbError } from '../db/db-errors.ts';
import { settleMany, type Settlement } from './settle.ts';

/** Writes a batch in one transaction; returns the request ids it settled (the others were already). */
export type SettleBatch = (batch: readonly Settlement[]) => Promise<ReadonlySet<string>>;

export const settleBatchIn = (db: Db): SettleBatch => (batch) => settleMany(db, batch);

export type SettleResult = 'ok' | 'duplicate' | 'failed';

/** `T` is what the caller attached to each settlement (the gateway: its admission, or null for a release). */
export interface SettlementEvents<T> {
  /** `failed`: given up; the sweeper charges the reservation's estimate. */
  onSettled(result: SettleResult, settlement: Settlement, tag: T): void;
  /** Once per failed write: the settlements it held are retried (`willRetry`) or given up. */
  onError(error: unknown, requestIds: readonly string[], willRetry: boolean): void;
}

export interface SettlementBatcherOptions {
  /** How long a settlement may wait to share a transaction with others (default 10 ms). */
  readonly delayMs?: number;
  /**
   * How long a failed settlement is retried from memory. The reservation's deadline: after it
   * the sweeper charges the estimate, and a late retry would find nothing to settle anyway.
   */
  readonly retryForMs?: number;
  /** Monotonic enough for retry deadlines (tests inject one). */
  readonly now?: () => number;
}

/**
 * Settlements waiting to be written. Tracks those still being written, so a draining gateway
 * can wait for them and a request about to be refused can see them applied first.
 */
export interface SettlementBatcher<T> {
  /** Resolves once the settlement is written, found already written, or given up. */
  submit(settlement: Settlement, tag: T): Promise<void>;
  /** True while settlements are queued or being written. */
  hasPending(): boolean;
  /** Writes what is queued now and waits for it (one attempt: a failure leaves them queued for retry). */
  settlePending(): Promise<void>;
  /** Writes everything queued, retrying failures for up to `timeoutMs`; what is left goes to the sweeper. */
  drain(timeoutMs?: number): Promise<void>;
}

interface Pending<T> {
  readonly settlement: Settlement;
  readonly tag: T;
  readonly until: number;
  readonly done: () => void;
}

const MAX_BATCH = 64;
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000] as const;

/**
 * Writes settlements in batches: a settlement waits up to `delayMs` for others (and
 * while one batch is in Postgres the next one queues), so a hot wallet is locked once
 * per batch rather than once per request, and settlements rarely compete with the
 * reservations of the requests that follow. Enforcement does not lag: until settled,
 * a request's worst case stays reserved. (Reservations batch beside it, in
 * reservation-batcher.ts, without a delay: a request waits for its reservation.)
 *
 * When Postgres is away, settlements stay in memory and are retried with backoff until
 * their reservation's deadline. A retry can never charge twice: settling deletes the
 * reservation in the same transaction that writes the ledger row, so a retry after a
 * commit whose acknowledgement was lost finds no reservation and does nothing.
 */
export function createSettlementBatcher<T>(settle: SettleBatch, events: SettlementEvents<T>, options: SettlementBatcherOptions = {}): SettlementBatcher<T> {
  const delayMs = options.delayMs ?? 10;
  const retryForMs = options.retryForMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  let queue: Pending<T>[] = [];
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

  const giveUp = (batch: readonly Pending<T>[], error: unknown) => {
    if (batch.length === 0) return;
    events.onError(error, batch.map((p) => p.settlement.requestId), false);
    for (const p of batch) {
      events.onSettled('failed', p.settlement, p.tag);
      p.done();
    }
  };

  /** One transaction for the batch; on a statement error, each alone, so one bad row cannot hold back the rest. */
  const write = async (batch: Pending<T>[], retry: Pending<T>[]): Promise<boolean> => {
    try {
      const settled = await settle(batch.map((p) => p.settlement));
      for (const p of batch) {
        events.onSettled(settled.has(p.settlement.requestId) ? 'ok' : 'duplicate', p.settlement, p.tag);
        p.done();
      }
      return true;
    } catch (error) {
      if (!isTransientDbError(error)) {
        if (batch.length > 1) {
          for (const p of batch) await write([p], retry);
          return true;
        }
        giveUp(batch, error);
        return true;
      }
      const at = now();
      const again = batch.filter((p) => at < p.until);
      if (again.length > 0) events.onError(error, again.map((p) => p.settlement.requestId), true);
      retry.push(...again);
      giveUp(batch.filter((p) => at >= p.until), error);
      return false;
    }
  };

  const flush = async (): Promise<void> => {
    timer = null;
    const retry: Pending<T>[] = [];
    let ok = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      ok = (await write(batch, retry)) && ok;
    }
    flushing = null;
    if (retry.length > 0) {
      queue = retry.concat(queue);
      const wait = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!;
      failures++;
      schedule(wait);
    } else if (ok) {
      failures = 0;
    }
  };
  const flushNow = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    flushing ??= flush();
    return flushing;
  };
  const schedule = (ms: number) => {
    if (timer || flushing) return;
    timer = setTimeout(() => void flushNow(), ms);
  };

  return {
    submit: (settlement, tag) =>
      new Promise<void>((resolve) => {
        queue.push({ settlement, tag, until: now() + retryForMs, done: resolve });
        if (flushing || timer) return;
        if (queue.length >= MAX_BATCH || delayMs === 0) void flushNow();
        else schedule(delayMs);
      }),
    hasPending: () => queue.length > 0 || flushing !== null,
    async settlePending() {
      if (flushing) await flushing;
      if (queue.length > 0) await flushNow();
    },
    async drain(timeoutMs = 5000) {
      const until = now() + timeoutMs;
      for (;;) {
        if (flushing) await flushing;
        if (queue.length === 0) return;
        if (now() >= until) break;
        await flushNow(); // now, not at the end of a retry backoff
        if (queue.length > 0) await new Promise((r) => setTimeout(r, 100));
      }
      if (timer) clearTimeout(timer);
      timer = null;
      const left = queue;
      queue = [];
      giveUp(left, new Error('shutting down while Postgres is unreachable'));
    },
  };
}
