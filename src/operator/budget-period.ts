import { formatUsd } from '../pricing/money.ts';

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
 * is the one who meets a 402 first.
 */
export function budgetPeriodStatus(input: BudgetPeriodInput) {
  const spent = input.walletSpends.reduce((s, w) => s + w, 0n);
  const percent = (part: bigint, whole: bigint) => (whole > 0n ? Number((part * 100n) / whole) : 0);
  const common = { start: input.window.start.toISOString(), end: input.window.end.toISOString(), spent: formatUsd(spent), spentExact: formatUsd(spent, 9) };
  if (input.scope === 'Shared') {
    return { ...common, limit: formatUsd(input.amountNanos), percentUsed: percent(spent, input.amountNanos) };
  }
  const limit = input.amountNanos * BigInt(input.members);
  const fullest = input.walletSpends.reduce((m, w) => (w > m ? w : m), 0n);
  return {
    ...common,
    limit: formatUsd(limit),
    percentUsed: percent(spent, limit),
    members: input.members,
    maxMemberPercentUsed: percent(fullest, input.amountNanos),
  };
}
