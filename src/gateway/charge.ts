import type { PricingStatus } from '../db/database.ts';
import { countsTowardSpend, settleMany, type Settlement } from '../ledger/settle.ts';
import { settlementCost, type Usage } from '../pricing/cost.ts';
import { listedFee } from '../pricing/tool-fees.ts';
import type { Db } from '../db/database.ts';
import { isTransientDbError } from '../db/db-errors.ts';
import type { Admission } from './admit.ts';

/** How a forwarded request ended, as far as money is concerned. */
export interface Outcome {
  readonly httpStatus: number;
  readonly usage: Usage | null;
  /** Usage was reconstructed from a cut-off stream rather than reported by the provider. */
  readonly partial: boolean;
  readonly latencyMs: number;
}

const NO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/**
 * Pure: what the ledger row says. Tokens at their rates, plus the tool calls the
 * provider reports at the request's per-call fees, plus fees the request incurs
 * whatever the model does (a new code container). Errors without usage cost nothing;
 * unpriced models are recorded, not counted. A success never costs nothing: the relays
 * estimate usage a response leaves out, and a success that still arrives here without
 * any is charged its reservation (the most it could have cost), marked estimated.
 */
export function settlementFor(admission: Admission, outcome: Outcome, now: Date = new Date()): Settlement {
  const usage = outcome.usage ?? NO_USAGE;
  const price = admission.resolved.price;
  let status: PricingStatus;
  let cost = 0n;
  if (!outcome.usage) {
    if (outcome.httpStatus >= 400) status = 'priced';
    else if (!price) status = 'unpriced';
    else {
      status = 'estimated';
      cost = admission.estimateNanos;
    }
  } else if (!price) {
    status = 'unpriced';
  } else {
    const { reach, provider } = admission;
    cost = settlementCost(price, usage, reach.toolRates, reach.fixedFeesNanos, (kind) => listedFee(provider, kind));
    status = outcome.partial ? 'estimated' : 'priced';
  }
  return {
    requestId: admission.requestId,
    costNanos: cost,
    pricingStatus: status,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWrite5mTokens + usage.cacheWrite1hTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    httpStatus: outcome.httpStatus,
    latencyMs: Math.round(outcome.latencyMs),
    occurredAt: now,
  };
}

/** What a settlement cost beyond its reservation on a hard wallet (0n when nothing): the ledger records the same. */
export function overageOf(admission: Admission, settlement: Settlement): bigint {
  const over = settlement.costNanos - admission.estimateNanos;
  const hard = admission.person.budgets.some((b) => b.hard);
  return over > 0n && hard && countsTowardSpend(settlement.pricingStatus) ? over : 0n;
}

/**
 * Writes settlements. Tracks those still being written, so a draining gateway can wait for
 * them and a request about to be refused can see them applied first.
 */
export interface Charger {
  charge(admission: Admission, outcome: Outcome): Promise<void>;
  /**
   * Releases a reservation whose fate is unknown (its reservation call failed or timed out
   * while Postgres went away): if it was committed after all, it is settled at $0 with
   * `httpStatus`, so it is never swept and charged for a call that was not made.
   */
  release(requestId: string, httpStatus: number): Promise<void>;
  /** True while settlements are queued or being written. */
  hasPending(): boolean;
  /** Writes what is queued now and waits for it (one attempt: a failure leaves them queued for retry). */
  settlePending(): Promise<void>;
  /** Writes everything queued, retrying failures for up to `timeoutMs`; what is left goes to the sweeper. */
  drain(timeoutMs?: number): Promise<void>;
}

export type SettleResult = 'ok' | 'duplicate' | 'failed';

export interface ChargeEvents {
  /** `admission` is null for a release. `failed`: given up; the sweeper charges the reservation's estimate. */
  onSettled(result: SettleResult, settlement: Settlement, admission: Admission | null): void;
  /** Once per failed write: the settlements it held are retried (`willRetry`) or given up. */
  onError(error: unknown, requestIds: readonly string[], willRetry: boolean): void;
}

export interface ChargerOptions {
  /** How long a settlement may wait to share a transaction with others (default 10 ms). */
  readonly delayMs?: number;
  /**
   * How long a failed settlement is retried from memory. The reservation's deadline: after it
   * the sweeper charges the estimate, and a late retry would find nothing to settle anyway.
   */
  readonly retryForMs?: number;
  /** Monotonic enough for retry deadlines (tests inject one). */
  readonly now?: () => number;
  /** Booking clock: the ledger time of a settlement (only `stipend dev --demo-traffic` moves it). */
  readonly clock?: () => Date;
}

interface Pending {
  readonly settlement: Settlement;
  readonly admission: Admission | null;
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
 * a request's worst case stays reserved.
 *
 * When Postgres is away, settlements stay in memory and are retried with backoff until
 * their reservation's deadline. A retry can never charge twice: settling deletes the
 * reservation in the same transaction that writes the ledger row, so a retry after a
 * commit whose acknowledgement was lost finds no reservation and does nothing.
 */
/** Writes a batch in one transaction; returns the request ids it settled (the others were already). */
export type SettleBatch = (batch: readonly Settlement[]) => Promise<ReadonlySet<string>>;

export const settleBatchIn = (db: Db): SettleBatch => (batch) => settleMany(db, batch);

export function createCharger(settle: SettleBatch, events: ChargeEvents, options: ChargerOptions = {}): Charger {
  const delayMs = options.delayMs ?? 10;
  const retryForMs = options.retryForMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const clock = options.clock ?? (() => new Date());
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

  const giveUp = (batch: readonly Pending[], error: unknown) => {
    if (batch.length === 0) return;
    events.onError(error, batch.map((p) => p.settlement.requestId), false);
    for (const p of batch) {
      events.onSettled('failed', p.settlement, p.admission);
      p.done();
    }
  };

  /** One transaction for the batch; on a statement error, each alone, so one bad row cannot hold back the rest. */
  const write = async (batch: Pending[], retry: Pending[]): Promise<boolean> => {
    try {
      const settled = await settle(batch.map((p) => p.settlement));
      for (const p of batch) {
        events.onSettled(settled.has(p.settlement.requestId) ? 'ok' : 'duplicate', p.settlement, p.admission);
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
    const retry: Pending[] = [];
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
  const enqueue = (settlement: Settlement, admission: Admission | null): Promise<void> =>
    new Promise<void>((resolve) => {
      queue.push({ settlement, admission, until: now() + retryForMs, done: resolve });
      if (flushing || timer) return;
      if (queue.length >= MAX_BATCH || delayMs === 0) void flushNow();
      else schedule(delayMs);
    });

  return {
    charge: (admission, outcome) => enqueue(settlementFor(admission, outcome, clock()), admission),
    release: (requestId, httpStatus) => enqueue(releaseSettlement(requestId, httpStatus, clock()), null),
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

/** A settlement that only releases: nothing was forwarded, so nothing is charged. */
function releaseSettlement(requestId: string, httpStatus: number, at: Date): Settlement {
  return {
    requestId,
    costNanos: 0n,
    pricingStatus: 'priced',
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    httpStatus,
    latencyMs: 0,
    occurredAt: at,
  };
}
