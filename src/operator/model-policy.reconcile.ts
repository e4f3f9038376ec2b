import { applyModelPolicy } from '../policy/apply-model-policy.ts';
import type { StipendResource } from '../policy/resource.schema.ts';
import { missingTeamsOutcome } from './missing-teams-outcome.ts';
import type { ApplyKind } from './reconcile-resource.ts';

/** ModelPolicy → its row (through the shared loader); status counts its patterns for `kubectl get`. */
export const reconcileModelPolicy: ApplyKind = async (deps, resource: StipendResource, previous) => {
  if (resource.kind !== 'ModelPolicy') throw new Error(`not a ModelPolicy: ${resource.kind}`);
  if (previous) return previous;
  const { missingTeams } = await applyModelPolicy(deps.db, resource);
  return {
    outcome: missingTeamsOutcome(missingTeams) ?? { ready: true, reason: 'Reconciled', message: 'policy enforced by the gateways' },
    status: { allowCount: resource.spec.allow.length, denyCount: resource.spec.deny.length },
  };
};
