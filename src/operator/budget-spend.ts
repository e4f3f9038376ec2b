import { KINDS } from '../policy/kinds.ts';
import { readBudgetPeriod } from './budget-status.repository.ts';
import { isConflict, writeStatus, type KubeObject } from './kube-api.ts';
import { sameStatus, type ReconcileDeps } from './reconcile-resource.ts';

/**
 * The spend in Budgets' status, refreshed on its own clock: it changes with every request,
 * while the rows change only with the spec, so this pass reads wallets and rewrites
 * `status.period` (only when it changed) and never re-applies rows. A Budget not yet
 * reconciled at its generation is left to its reconcile, which writes the period too.
 * Returns how many statuses it rewrote; a conflict or a failure waits for the next pass.
 */
export async function refreshBudgetSpend(deps: ReconcileDeps, budgets: readonly KubeObject[], now: Date = new Date()): Promise<number> {
  let written = 0;
  for (const obj of budgets) {
    if (obj.metadata.deletionTimestamp || obj.status?.observedGeneration !== (obj.metadata.generation ?? 0)) continue;
    const parsed = KINDS.Budget.schema.safeParse(obj);
    if (!parsed.success) continue;
    try {
      const status = { ...obj.status, period: await readBudgetPeriod(deps.db, parsed.data, now) };
      if (sameStatus(obj.status, status)) continue;
      await writeStatus(deps.api, 'Budget', obj, status);
      written++;
    } catch (error) {
      if (!isConflict(error)) deps.logger.warn({ budget: `${obj.metadata.namespace}/${obj.metadata.name}`, err: error }, 'budget spend refresh failed; the next pass retries');
    }
  }
  return written;
}
