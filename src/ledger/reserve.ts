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
}

export interface ReserveInput {
  readonly requestId: string;
  readonly claims: readonly WalletClaim[];
  readonly estimateNanos: bigint;
  readonly deadline: Date;
  /** Ledger fields known now; the sweeper writes them if this gateway dies. */
  readonly context: LedgerContext;
}

export interface LedgerContext {
  readonly person_id: string;
  readonly email: string;
  readonly team: string | null;
  readonly cost_center: string | null;
  readonly provider: string;
  readonly model: string;
  readonly endpoint: string;
  readonly stream: boolean;
}

interface ReserveRow {
  ok: boolean;
  wallet_id: bigint;
  budget_id: bigint;
  hard: boolean;
  remaining_nanos: bigint;
  period_end: Date;
}

/** Reserves the estimate on every claimed wallet atomically, or on none. One round trip. */
export async function reserve(db: Db, input: ReserveInput): Promise<ReserveResult> {
  const c = input.claims;
  const { rows } = await sql<ReserveRow>`select * from stipend_reserve(${input.requestId},
    ${c.map((x) => String(x.budgetId))}::bigint[], ${c.map((x) => x.owner)}::text[],
    ${c.map((x) => x.periodStart.toISOString())}::timestamptz[], ${c.map((x) => x.periodEnd.toISOString())}::timestamptz[],
    ${c.map((x) => String(x.limitNanos))}::bigint[], ${c.map((x) => x.hard)}::boolean[],
    ${String(input.estimateNanos)}::bigint, ${input.deadline.toISOString()}::timestamptz,
    ${JSON.stringify(input.context)}::jsonb)`.execute(db);
  return {
    ok: rows.length > 0 && rows.every((r) => r.ok),
    wallets: rows.map((r) => ({
      walletId: r.wallet_id,
      budgetId: r.budget_id,
      hard: r.hard,
      remainingNanos: r.remaining_nanos,
      periodEnd: new Date(r.period_end),
    })),
  };
}
