import { applyBudget } from '../policy/apply-budget.ts';
import { readBudgetPeriod } from './budget-status.repository.ts';
import { missingTeamsOutcome } from './missing-teams-outcome.ts';
import type { Reconciler } from './reconcile-resource.ts';

/** Budget → its row (through the shared loader) and status.period, this period's spend (also refreshed by its own pass). */
export const reconcileBudget: Reconciler<'Budget'> = async (deps, budget) => {
  const { missingTeams } = await applyBudget(deps.db, budget);
  return {
    outcome: missingTeamsOutcome(missingTeams) ?? { ready: true, reason: 'Reconciled', message: 'budget enforced by the gateways' },
    status: { period: await readBudgetPeriod(deps.db, budget, new Date()) },
  };
};
