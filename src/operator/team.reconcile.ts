import { applyTeam } from '../policy/apply-team.ts';
import type { Reconciler } from './reconcile-resource.ts';

/** Team → team row, declared people and memberships (through the shared loader). */
export const reconcileTeam: Reconciler<'Team'> = async (deps, team) => {
  const { members } = await applyTeam(deps.db, team);
  return { outcome: { ready: true, reason: 'Reconciled', message: `${members} member(s)` }, status: { members } };
};
