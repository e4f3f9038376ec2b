import { applyTeam } from '../policy/apply-team.ts';
import type { StipendResource } from '../policy/resource.schema.ts';
import type { KindResult, ReconcileDeps } from './reconcile-resource.ts';

export async function reconcileTeam(deps: ReconcileDeps, resource: StipendResource): Promise<KindResult> {
  if (resource.kind !== 'Team') throw new Error(`not a Team: ${resource.kind}`);
  const { members } = await applyTeam(deps.db, resource);
  return { outcome: { ready: true, reason: 'Reconciled', message: `${members} member(s)` }, status: { members } };
}
