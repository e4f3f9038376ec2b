import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** One wallet a request must reserve on: the window and limit come from the current policy. */
export interface WalletClaim {
  readonly budgetId: bigint;
  readonly owner: string; // 'shared' or 'person:<id>'
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly limitNanos: bigint;
  readonly hard: boolean;
}

export interface WalletBalance {
  readonly walletId: bigint;
  readonly budgetId: bigint;
  readonly hard: boolean;
  readonly remainingNanos: bigint; // after this reservation when ok, before it when refused
  readonly periodEnd: Date;
}

export interface ReserveResult {
  readonly ok: boolean;
  readonly wallets: readonly WalletBalance[];
  /** Refused by the person's shared per-minute counters (nothing was reserved). */
  readonly rateLimited?: RateRefusal;
}

/** Per-minute limits counted across every gateway replica (stipend_reserve_rated). */
export interface RateClaim {
  readonly personId: bigint;
  readonly requestsPerMinute: number | null;
  readonly tokensPerMinute: number | null;
}

export interface RateRefusal {
  readonly reason: 'requests' | 'tokens';
  /** Until the counters could admit the request, if nothing else were admitted meanwhile. */
  readonly retryAfterMs: number;
}

export interface ReserveInput {
  readonly requestId: string;
  readonly claims: readonly WalletClaim[];
  readonly estimateNanos: bigint;
  readonly deadline: Date;
  /** Ledger fields known now; the sweeper writes them if this gateway dies. */
  readonly context: LedgerContext;
  /** The person's rate limits, when their policy has any. */
  readonly rate?: RateClaim;
}

export interface LedgerContext {
  readonly person_id: string | null;
  readonly email: string | null;
  /** Service keys (0017): the key that made the request and its account, `namespace/team/name`. */
  readonly api_key_id?: string;
  readonly service_account?: string;
  readonly team: string | null;
  readonly cost_center: string | null;
  readonly provider: string;
  readonly model: string;
  readonly endpoint: string;
  readonly stream: boolean;
  /** The upstream that served it (its configured name: the contract) and its kind (azure-openai, bedrock, …). */
  readonly upstream?: string;
  readonly platform?: string;
}

interface ReserveRow {
  request_index: number;
  ok: boolean;
  wallet_id: bigint;
  budget_id: bigint;
  hard: boolean;
  remaining_nanos: bigint;
  period_end: Date;
  limited?: 'requests' | 'tokens' | null;
  retry_after_ms?: number | null;
}

const hasLimits = (r: RateClaim | undefined): r is RateClaim =>
  r !== undefined && (r.requestsPerMinute !== null || r.tokensPerMinute !== null);

/**
 * Reserves for a batch of requests in one round trip and one transaction. Each
 * request is all-or-nothing on its own wallets; requests do not affect each other
 * beyond the money they take.
 */
export async function reserveMany(db: Db, inputs: readonly ReserveInput[], now?: Date): Promise<ReserveResult[]> {
  const claims = inputs.flatMap((i) => i.claims);
  const estimates = inputs.map((i) => String(i.estimateNanos));
  const args = sql`${inputs.map((i) => i.requestId)}::text[], ${estimates}::bigint[],
    ${inputs.map((i) => i.deadline.toISOString())}::timestamptz[], ${inputs.map((i) => JSON.stringify(i.context))}::jsonb[],
    ${inputs.map((i) => i.claims.length)}::integer[],
    ${claims.map((x) => String(x.budgetId))}::bigint[], ${claims.map((x) => x.owner)}::text[],
    ${claims.map((x) => x.periodStart.toISOString())}::timestamptz[], ${claims.map((x) => x.periodEnd.toISOString())}::timestamptz[],
    ${claims.map((x) => String(x.limitNanos))}::bigint[], ${claims.map((x) => x.hard)}::boolean[]`;
  // A batch without rate-limited people skips the counters entirely.
  const rated = inputs.map((i) => (hasLimits(i.rate) ? i.rate : null));
  const reservations = rated.some((r) => r !== null)
    ? sql`stipend_reserve_rated(${args},
        ${rated.map((r) => (r ? String(r.personId) : null))}::bigint[], ${rated.map((r) => r?.requestsPerMinute ?? null)}::integer[],
        ${rated.map((r) => r?.tokensPerMinute ?? null)}::integer[], ${now?.toISOString() ?? null}::timestamptz)`
    : sql`stipend_reserve_many(${args})`;
  // A hard wallet that refuses a request (not enough room for its worst case) writes its
  // "exhausted" alert in this same statement and transaction (once per wallet and period,
  // migration 0013): the gateway refuses with 402, and someone is told. (A rate-limited
  // request has no wallet row: no alert.)
  const { rows } = await sql<ReserveRow>`select r.*,
      case when not r.ok and r.hard and r.remaining_nanos < (${estimates}::bigint[])[r.request_index]
           then stipend_exhausted_alert(r.wallet_id, (${estimates}::bigint[])[r.request_index]) end as exhausted_alert
    from ${reservations} as r`.execute(db);
  const byRequest: ReserveRow[][] = inputs.map(() => []);
  for (const row of rows) byRequest[row.request_index - 1]?.push(row);
  return byRequest.map((mine) => {
    const limited = mine.find((r) => r.limited);
    if (limited) return { ok: false, wallets: [], rateLimited: { reason: limited.limited!, retryAfterMs: Number(limited.retry_after_ms) } };
    return {
      ok: mine.length > 0 && mine.every((r) => r.ok),
      wallets: mine.map((r) => ({
        walletId: r.wallet_id,
        budgetId: r.budget_id,
        hard: r.hard,
        remainingNanos: r.remaining_nanos,
        periodEnd: new Date(r.period_end),
      })),
    };
  });
}

/** Reserves the estimate on every claimed wallet atomically, or on none. One round trip. */
export async function reserve(db: Db, input: ReserveInput): Promise<ReserveResult> {
  const [result] = await reserveMany(db, [input]);
  return result!;
}
