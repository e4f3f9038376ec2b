import { applyModelPolicy } from '../policy/apply-model-policy.ts';
import { missingTeamsOutcome } from './missing-teams-outcome.ts';
import type { Reconciler } from './reconcile-resource.ts';

/** ModelPolicy → its row (through the shared loader); status counts its patterns for `kubectl get`. */
export const reconcileModelPolicy: Reconciler<'ModelPolicy'> = async (deps, policy) => {
  const { missingTeams } = await applyModelPolicy(deps.db, policy);
  return {
    outcome: missingTeamsOutcome(missingTeams) ?? { ready: true, reason: 'Reconciled', message: 'policy enforced by the gateways' },
    status: { allowCount: policy.spec.allow.length, denyCount: policy.spec.deny.length },
  };
};
