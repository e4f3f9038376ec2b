import { applyTeam } from '../policy/apply-team.ts';
import type { StipendResource } from '../policy/resource.schema.ts';
import type { ApplyKind } from './reconcile-resource.ts';

/** Team → team row, declared people and memberships (through the shared loader). */
export const reconcileTeam: ApplyKind = async (deps, resource: StipendResource, previous) => {
  if (resource.kind !== 'Team') throw new Error(`not a Team: ${resource.kind}`);
  if (previous) return previous;
  const { members } = await applyTeam(deps.db, resource);
  return { outcome: { ready: true, reason: 'Reconciled', message: `${members} member(s)` }, status: { members } };
};
