import type { PricingStatus } from '../db/database.ts';
import { settle, type Settlement } from '../ledger/settle.ts';
import { costOf, type Usage } from '../pricing/cost.ts';
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

/** Pure: what the ledger row says. Errors without usage cost nothing; unpriced models are recorded, not counted. */
export function settlementFor(admission: Admission, outcome: Outcome, now: Date = new Date()): Settlement {
  const usage = outcome.usage ?? NO_USAGE;
  let status: PricingStatus;
  let cost = 0n;
  if (!outcome.usage) {
    status = outcome.httpStatus >= 400 ? 'priced' : 'usage_missing';
  } else if (!admission.resolved.price) {
    status = 'unpriced';
  } else {
    cost = costOf(admission.resolved.price, usage);
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

/** Tracks settlements still being written, so a draining gateway can wait for them. */
export interface Charger {
  charge(admission: Admission, outcome: Outcome): Promise<void>;
  drain(): Promise<void>;
}

export interface ChargeEvents {
  onSettled(result: 'ok' | 'duplicate' | 'failed', settlement: Settlement, admission: Admission): void;
  onError(error: unknown, requestId: string): void;
}

export function createCharger(db: Db, events: ChargeEvents): Charger {
  const pending = new Set<Promise<void>>();
  return {
    charge(admission, outcome) {
      const settlement = settlementFor(admission, outcome);
      // A failed write leaves the reservation in place; the sweeper charges it at its estimate.
      const p = settle(db, settlement)
        .then((fresh) => events.onSettled(fresh ? 'ok' : 'duplicate', settlement, admission))
        .catch((error: unknown) => {
          events.onSettled('failed', settlement, admission);
          events.onError(error, admission.requestId);
        })
        .finally(() => pending.delete(p));
      pending.add(p);
      return p;
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
