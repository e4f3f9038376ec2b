import { sql } from 'kysely';
import type { Db, PricingStatus } from '../db/database.ts';
import type { SettlementEvent } from './ledger-row.ts';

/** What the response told us, written into the ledger row next to the reservation's context. */
export interface Settlement {
  readonly requestId: string;
  readonly costNanos: bigint;
  readonly pricingStatus: PricingStatus;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  readonly httpStatus: number;
  readonly latencyMs: number;
  readonly occurredAt: Date;
}

/** A settlement that only releases: nothing was forwarded, so nothing is charged. */
export function releaseOnly(requestId: string, httpStatus: number, at: Date): Settlement {
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

/** Only priced and estimated rows count toward spend; the others stay visible as quality signals. */
export function countsTowardSpend(status: PricingStatus): boolean {
  return status === 'priced' || status === 'estimated';
}

function eventJson(s: Settlement): string {
  const event: SettlementEvent = {
    pricing_status: s.pricingStatus,
    input_tokens: s.inputTokens,
    cached_input_tokens: s.cachedInputTokens,
    cache_write_tokens: s.cacheWriteTokens,
    output_tokens: s.outputTokens,
    reasoning_tokens: s.reasoningTokens,
    http_status: s.httpStatus,
    latency_ms: s.latencyMs,
    occurred_at: s.occurredAt.toISOString(),
  };
  return JSON.stringify(event);
}

/**
 * Releases each reservation, charges its cost and appends its ledger row, the whole batch in
 * one transaction (stipend_settle_many: the one settle path, the sweeper's too). Returns the
 * request ids this call settled; the others were settled already (idempotent).
 */
export async function settleMany(db: Db, batch: readonly Settlement[]): Promise<ReadonlySet<string>> {
  if (batch.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`select id from stipend_settle_many(
    ${batch.map((s) => s.requestId)}::text[], ${batch.map((s) => String(s.costNanos))}::bigint[],
    ${batch.map((s) => countsTowardSpend(s.pricingStatus))}::boolean[], ${batch.map(eventJson)}::jsonb[]) as id`.execute(db);
  return new Set(rows.map((r) => r.id));
}
