import type { PricingStatus } from '../db/database.ts';
import { countsTowardSpend, releaseOnly, type Settlement } from '../ledger/settle.ts';
import { createSettlementBatcher, type SettleBatch, type SettlementBatcherOptions, type SettlementEvents } from '../ledger/settlement-batcher.ts';
import { settlementCost, type Usage } from '../pricing/cost.ts';
import { listedFee } from '../pricing/tool-fees.ts';
import type { Admission } from './admit.ts';
import type { Outcome } from './request-context.ts';

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

/** The request path's side of the ledger: what each request is charged (or released at $0), written in batches. */
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

/** `admission` is null for a release. */
export type ChargeEvents = SettlementEvents<Admission | null>;

export interface ChargerOptions extends SettlementBatcherOptions {
  /** Booking clock: the ledger time of a settlement (only `stipend dev --demo-traffic` moves it). */
  readonly clock?: () => Date;
}

/** Charges through the ledger's settlement batcher (ledger/settlement-batcher.ts). */
export function createCharger(settle: SettleBatch, events: ChargeEvents, options: ChargerOptions = {}): Charger {
  const clock = options.clock ?? (() => new Date());
  const batcher = createSettlementBatcher<Admission | null>(settle, events, options);
  return {
    charge: (admission, outcome) => batcher.submit(settlementFor(admission, outcome, clock()), admission),
    release: (requestId, httpStatus) => batcher.submit(releaseOnly(requestId, httpStatus, clock()), null),
    hasPending: batcher.hasPending,
    settlePending: batcher.settlePending,
    drain: batcher.drain,
  };
}
