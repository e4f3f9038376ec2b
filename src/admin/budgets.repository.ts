import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { periodWindow } from '../ledger/period.ts';

export interface WalletUsage {
  readonly owner: string;
  readonly email: string | null;
  readonly spentNanos: bigint;
  readonly reservedNanos: bigint;
  readonly limitNanos: bigint;
}

/** Every active budget with its current window (derived from `now`) and that window's wallets. */
export async function budgetsWithUsage(db: Db, now: Date) {
  const budgets = await db.selectFrom('budgets').selectAll().where('active', '=', true).orderBy('namespace').orderBy('name').execute();
  const windows = budgets.map((b) => periodWindow(b.period, b.time_zone, now));
  const wallets = budgets.length
    ? await db
        .selectFrom('wallets')
        .leftJoin('people', (j) => j.on(sql<boolean>`wallets.owner = 'person:' || people.id`))
        .select(['wallets.budget_id', 'wallets.owner', 'wallets.period_start', 'wallets.spent_nanos', 'wallets.reserved_nanos', 'wallets.limit_nanos', 'people.email'])
        .where((eb) => eb.or(budgets.map((b, i) => eb.and([eb('wallets.budget_id', '=', b.id), eb('wallets.period_start', '=', windows[i]!.start)]))))
        .execute()
    : [];
  return budgets.map((b, i) => {
    const mine: WalletUsage[] = wallets
      .filter((w) => w.budget_id === b.id)
      .map((w) => ({ owner: w.owner, email: w.email, spentNanos: w.spent_nanos, reservedNanos: w.reserved_nanos, limitNanos: w.limit_nanos }))
      .sort((x, y) => (x.spentNanos === y.spentNanos ? x.owner.localeCompare(y.owner) : x.spentNanos > y.spentNanos ? -1 : 1));
    return { budget: b, window: windows[i]!, wallets: mine };
  });
}
