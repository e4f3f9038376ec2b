import { applyBudget } from '../policy/apply-budget.ts';
import type { StipendResource } from '../policy/resource.schema.ts';
import { budgetPeriodStatus } from './budget-status.repository.ts';
import { missingTeamsOutcome } from './missing-teams-outcome.ts';
import type { KindResult, ReconcileDeps } from './reconcile-resource.ts';

export async function reconcileBudget(deps: ReconcileDeps, resource: StipendResource): Promise<KindResult> {
  if (resource.kind !== 'Budget') throw new Error(`not a Budget: ${resource.kind}`);
  const { missingTeams } = await applyBudget(deps.db, resource);
  const period = await budgetPeriodStatus(deps.db, resource, new Date());
  return {
    outcome: missingTeamsOutcome(missingTeams) ?? { ready: true, reason: 'Reconciled', message: 'budget enforced by the gateways' },
    status: { period },
  };
}
