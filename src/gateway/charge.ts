import type { PricingStatus } from '../db/database.ts';
import { countsTowardSpend, settleMany, type Settlement } from '../ledger/settle.ts';
import { settlementCost, type Usage } from '../pricing/cost.ts';
import { listedFee } from '../pricing/tool-fees.ts';
import type { Db } from '../db/database.ts';
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

/** Tracks settlements still being written, so a draining gateway can wait for them. */
export interface Charger {
  charge(admission: Admission, outcome: Outcome): Promise<void>;
  drain(): Promise<void>;
}

export interface ChargeEvents {
  onSettled(result: 'ok' | 'duplicate' | 'failed', settlement: Settlement, admission: Admission): void;
  onError(error: unknown, requestId: string): void;
}

interface Pending {
  readonly settlement: Settlement;
  readonly admission: Admission;
  readonly done: () => void;
}

const MAX_BATCH = 64;

/**
 * Writes settlements in batches: a settlement waits up to `delayMs` for others (and
 * while one batch is in Postgres the next one queues), so a hot wallet is locked once
 * per batch rather than once per request, and settlements rarely compete with the
 * reservations of the requests that follow. Enforcement does not lag: until settled,
 * a request's worst case stays reserved.
 */
export function createCharger(db: Db, events: ChargeEvents, delayMs = 10, clock: () => Date = () => new Date()): Charger {
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const flush = async (): Promise<void> => {
    timer = null;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        const settled = await settleMany(db, batch.map((p) => p.settlement));
        for (const p of batch) events.onSettled(settled.has(p.settlement.requestId) ? 'ok' : 'duplicate', p.settlement, p.admission);
      } catch (error) {
        // A failed write leaves the reservations in place; the sweeper charges their estimates.
        for (const p of batch) {
          events.onSettled('failed', p.settlement, p.admission);
          events.onError(error, p.settlement.requestId);
        }
      }
      for (const p of batch) p.done();
    }
    flushing = null;
  };
  const flushNow = () => {
    if (timer) clearTimeout(timer);
    flushing ??= flush();
  };

  return {
    charge(admission, outcome) {
      return new Promise<void>((resolve) => {
        queue.push({ settlement: settlementFor(admission, outcome, clock()), admission, done: resolve });
        if (flushing || timer) return;
        if (queue.length >= MAX_BATCH || delayMs === 0) flushNow();
        else timer = setTimeout(flushNow, delayMs);
      });
    },
    async drain() {
      if (timer) flushNow();
      while (flushing) await flushing;
    },
  };
}
