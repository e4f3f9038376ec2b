import type { Db } from '../db/database.ts';
import { periodWindow } from '../ledger/period.ts';
import { formatUsd, parseUsd } from '../pricing/money.ts';
import type { BudgetResource } from '../policy/resource.schema.ts';

/**
 * This period's spend for `kubectl get budgets`. Shared: the one wallet. PerMember: the
 * sum over members' wallets against amount × wallets used, plus the fullest member's share.
 */
export async function budgetPeriodStatus(db: Db, budget: BudgetResource, now: Date) {
  const window = periodWindow(budget.spec.period, budget.spec.timeZone, now);
  const wallets = await db
    .selectFrom('wallets')
    .innerJoin('budgets', 'budgets.id', 'wallets.budget_id')
    .select(['wallets.spent_nanos'])
    .where('budgets.namespace', '=', budget.metadata.namespace)
    .where('budgets.name', '=', budget.metadata.name)
    .where('wallets.period_start', '=', window.start)
    .execute();
  const amount = parseUsd(budget.spec.amount);
  const spent = wallets.reduce((s, w) => s + w.spent_nanos, 0n);
  const limit = budget.spec.scope === 'Shared' ? amount : amount * BigInt(Math.max(1, wallets.length));
  const fullest = wallets.reduce((m, w) => (w.spent_nanos > m ? w.spent_nanos : m), 0n);
  return {
    start: window.start.toISOString(),
    end: window.end.toISOString(),
    spent: formatUsd(spent),
    spentExact: formatUsd(spent, 9),
    limit: formatUsd(limit),
    percentUsed: Number((spent * 100n) / limit),
    ...(budget.spec.scope === 'PerMember' ? { members: wallets.length, maxMemberPercentUsed: Number((fullest * 100n) / amount) } : {}),
  };
}
