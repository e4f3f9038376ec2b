import { formatUsd } from '../pricing/money.ts';
import type { BudgetPeriod } from './status.schema.ts';

export interface BudgetPeriodInput {
  readonly scope: 'PerMember' | 'Shared';
  readonly amountNanos: bigint;
  readonly window: { readonly start: Date; readonly end: Date };
  /** spent_nanos of each wallet of the budget in this window. */
  readonly walletSpends: readonly bigint[];
  /** People the target matches now (PerMember: each has, or will get, a wallet). */
  readonly members: number;
}

/**
 * Pure: `status.period` of a Budget. Shared: the one wallet against the amount.
 * PerMember: the sum over members' wallets against amount × matching members — the
 * tier's total exposure — plus the fullest member's percentage, since that member
 * is the one who meets a 402 first (`maxWalletPercentUsed`, what `kubectl get` shows).
 */
export function budgetPeriodStatus(input: BudgetPeriodInput): BudgetPeriod {
  const spent = input.walletSpends.reduce((s, w) => s + w, 0n);
  const percent = (part: bigint, whole: bigint) => (whole > 0n ? Number((part * 100n) / whole) : 0);
  const fullest = input.walletSpends.reduce((m, w) => (w > m ? w : m), 0n);
  const limit = input.scope === 'Shared' ? input.amountNanos : input.amountNanos * BigInt(input.members);
  const common = {
    start: input.window.start.toISOString(),
    end: input.window.end.toISOString(),
    spent: formatUsd(spent),
    spentExact: formatUsd(spent, 9),
    limit: formatUsd(limit),
    limitExact: formatUsd(limit, 9),
    percentUsed: percent(spent, limit),
    maxWalletPercentUsed: percent(fullest, input.amountNanos),
  };
  if (input.scope === 'Shared') return common;
  return { ...common, members: input.members, maxMemberPercentUsed: common.maxWalletPercentUsed };
}
