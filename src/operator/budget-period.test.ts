import { describe, expect, it } from 'vitest';
import { budgetPeriodStatus } from './budget-period.ts';
import { budgetPeriodSchema } from './status.schema.ts';

const window = { start: new Date('2026-03-01T05:00:00Z'), end: new Date('2026-04-01T04:00:00Z') };
const usd = (n: number) => BigInt(n) * 1_000_000_000n;

describe('budgetPeriodStatus', () => {
  it('Shared: the one wallet against the amount, exact amounts beside the rounded ones', () => {
    const s = budgetPeriodStatus({ scope: 'Shared', amountNanos: usd(1000), window, walletSpends: [usd(250) + 4n], members: 7 });
    expect(s).toEqual({
      start: '2026-03-01T05:00:00.000Z',
      end: '2026-04-01T04:00:00.000Z',
      spent: '250.00',
      spentExact: '250.000000004',
      limit: '1000.00',
      limitExact: '1000.000000000',
      percentUsed: 25,
      maxWalletPercentUsed: 25,
    });
    expect(budgetPeriodSchema.parse(s)).toEqual(s); // what the CRD's status schema keeps
  });

  it('PerMember: the sum against amount × members, and the fullest member as the headline', () => {
    const s = budgetPeriodStatus({ scope: 'PerMember', amountNanos: usd(200), window, walletSpends: [usd(150), usd(10)], members: 4 });
    expect(s).toMatchObject({ spent: '160.00', limit: '800.00', percentUsed: 20, members: 4, maxMemberPercentUsed: 75, maxWalletPercentUsed: 75 });
    expect(budgetPeriodSchema.parse(s)).toEqual(s);
  });

  it('a micro-dollar cap is not shown as 0.00 in the exact fields', () => {
    const s = budgetPeriodStatus({ scope: 'Shared', amountNanos: 1000n, window, walletSpends: [999n], members: 1 });
    expect(s).toMatchObject({ limit: '0.00', limitExact: '0.000001000', spentExact: '0.000000999', maxWalletPercentUsed: 99 });
  });

  it('no members: 0 %, never a division by zero; Soft budgets may pass 100 %', () => {
    expect(budgetPeriodStatus({ scope: 'PerMember', amountNanos: usd(200), window, walletSpends: [], members: 0 })).toMatchObject({ limit: '0.00', percentUsed: 0, maxWalletPercentUsed: 0 });
    expect(budgetPeriodStatus({ scope: 'Shared', amountNanos: usd(10), window, walletSpends: [usd(15)], members: 1 })).toMatchObject({ percentUsed: 150, maxWalletPercentUsed: 150 });
  });
});
