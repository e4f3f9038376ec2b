import type { KubernetesObject } from '@kubernetes/client-node';
import { keyString, type ObjectKey } from './kinds.ts';

type WithTarget = KubernetesObject & { spec?: { target?: { teams?: unknown } } };

/**
 * Pure: the Budgets and ModelPolicies (from the informer caches) whose target names a
 * team. They are re-reconciled after the team is written or removed, so that a policy
 * naming a missing team turns Ready as soon as the team exists (and back when it goes).
 */
export function dependentsOfTeam(team: ObjectKey, budgets: readonly KubernetesObject[], policies: readonly KubernetesObject[]): string[] {
  const names = (obj: WithTarget) => (Array.isArray(obj.spec?.target?.teams) ? (obj.spec.target.teams as unknown[]) : []);
  const pick = (kind: 'Budget' | 'ModelPolicy', objects: readonly KubernetesObject[]) =>
    objects
      .filter((o) => o.metadata?.namespace === team.namespace && names(o as WithTarget).includes(team.name))
      .map((o) => keyString({ kind, namespace: team.namespace, name: o.metadata?.name ?? '' }));
  return [...pick('Budget', budgets), ...pick('ModelPolicy', policies)];
}
