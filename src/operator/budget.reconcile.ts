import { applyBudget } from '../policy/apply-budget.ts';
import type { StipendResource } from '../policy/resource.schema.ts';
import { readBudgetPeriod } from './budget-status.repository.ts';
import { missingTeamsOutcome } from './missing-teams-outcome.ts';
import type { ApplyKind } from './reconcile-resource.ts';

/** Budget → its row (through the shared loader) and status.period: spend this period, refreshed on every resync. */
export const reconcileBudget: ApplyKind = async (deps, resource: StipendResource, previous) => {
  if (resource.kind !== 'Budget') throw new Error(`not a Budget: ${resource.kind}`);
  const outcome = previous
    ? previous.outcome
    : (missingTeamsOutcome((await applyBudget(deps.db, resource)).missingTeams) ?? { ready: true, reason: 'Reconciled', message: 'budget enforced by the gateways' });
  return { outcome, status: { period: await readBudgetPeriod(deps.db, resource, new Date()) } };
};
