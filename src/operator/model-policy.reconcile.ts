import { applyModelPolicy } from '../policy/apply-model-policy.ts';
import type { StipendResource } from '../policy/resource.schema.ts';
import type { KindResult, ReconcileDeps } from './reconcile-resource.ts';
import { missingTeamsOutcome } from './missing-teams-outcome.ts';

export async function reconcileModelPolicy(deps: ReconcileDeps, resource: StipendResource): Promise<KindResult> {
  if (resource.kind !== 'ModelPolicy') throw new Error(`not a ModelPolicy: ${resource.kind}`);
  const { missingTeams } = await applyModelPolicy(deps.db, resource);
  return {
    outcome: missingTeamsOutcome(missingTeams) ?? { ready: true, reason: 'Reconciled', message: 'policy enforced by the gateways' },
    status: { allowCount: resource.spec.allow.length, denyCount: resource.spec.deny.length },
  };
}
