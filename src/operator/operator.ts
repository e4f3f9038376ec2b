import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { reconcileBudget } from './budget.reconcile.ts';
import { refreshBudgetSpend } from './budget-spend.ts';
import { dependentsOfTeam } from './dependents.ts';
import { worthReconciling } from './event-filter.ts';
import { watchKind, type InformerHandle } from './informers.ts';
import { KIND_NAMES } from '../policy/kinds.ts';
import { keyString, parseKey, type ObjectKey } from './kinds.ts';
import { isConflict, type KubeApi, type KubeObject } from './kube-api.ts';
import { reconcileModelPolicy } from './model-policy.reconcile.ts';
import { reconcileResource, reportRetrying, type ReconcileDeps, type Reconcilers } from './reconcile-resource.ts';
import { resync } from './resync.ts';
import { reconcileTeam } from './team.reconcile.ts';
import type { ReconcileResult } from './operator-metrics.ts';
import { createWorkQueue } from './work-queue.ts';

const RECONCILERS: Reconcilers = { Team: reconcileTeam, Budget: reconcileBudget, ModelPolicy: reconcileModelPolicy };

export interface OperatorOptions {
  /** Told of every reconcile, for metrics. */
  readonly onReconcile?: (kind: ResourceKind, result: ReconcileResult, seconds: number) => void;
  readonly namespaces: readonly string[] | null; // null: all namespaces
  /** The spend in Budgets' status is refreshed this often (≤ 30 s), without re-applying rows. */
  readonly budgetResyncMs?: number;
  /** Everything is re-listed and reconciled this often (level-based safety net: rows changed by hand are put back). */
  readonly resyncMs?: number;
}

export interface RunningOperator {
  readonly reconciled: () => number;
  stop(): Promise<void>;
}

/** Informers → keyed queue → one reconciler per Kind. Call only while leader. */
export function runOperator(api: KubeApi, db: Db, logger: Logger, options: OperatorOptions): RunningOperator {
  const resyncMs = options.resyncMs ?? 300_000;
  const scopes = options.namespaces ?? [null];
  const informers = new Map<ResourceKind, InformerHandle[]>();
  const cached = (kind: ResourceKind) => (informers.get(kind) ?? []).flatMap((i) => i.list());
  const cachedObject = (k: ObjectKey) => (informers.get(k.kind) ?? []).map((i) => i.get(k.namespace, k.name)).find(Boolean) as KubeObject | undefined;
  const deps: ReconcileDeps = { api, db, logger, cached: cachedObject };
  let reconciled = 0;

  const queue = createWorkQueue(async (key) => {
    const k = parseKey(key);
    const started = performance.now();
    try {
      const done = await reconcileResource(deps, k, RECONCILERS);
      reconciled++;
      options.onReconcile?.(k.kind, done ? 'ok' : 'retry', (performance.now() - started) / 1000);
      logger.debug({ key, ms: Math.round(performance.now() - started), done }, 'reconciled');
      if (!done) return queue.retry(key);
      queue.forget(key);
      if (k.kind === 'Team') {
        // Budgets and policies naming this team re-check it now.
        for (const dependent of dependentsOfTeam(k, cached('Budget'), cached('ModelPolicy'))) queue.add(dependent);
      }
    } catch (error) {
      queue.retry(key);
      options.onReconcile?.(k.kind, isConflict(error) ? 'retry' : 'error', (performance.now() - started) / 1000);
      if (isConflict(error)) return;
      logger.warn({ key, err: error }, 'reconcile failed; retrying with back-off');
      await reportRetrying(deps, k, error);
    }
  }, { concurrency: 4 });

  const generations = new Map<string, number>(); // last generation each key was reconciled for, by event
  for (const kind of KIND_NAMES) {
    const onEvent = (type: 'add' | 'update' | 'delete', obj: KubernetesObject) => {
      const key = keyString({ kind, namespace: obj.metadata?.namespace ?? 'default', name: obj.metadata?.name ?? '' });
      if (!worthReconciling(type, obj, generations.get(key))) return;
      if (type === 'delete') generations.delete(key);
      else generations.set(key, obj.metadata?.generation ?? 0);
      queue.add(key);
    };
    informers.set(kind, scopes.map((ns) => watchKind(api, kind, ns, { onEvent, logger })));
  }
  const sync = (kinds: readonly ResourceKind[]) => void resync(api, db, kinds, options.namespaces, queue.add, logger);
  sync(KIND_NAMES); // at once: also finds rows whose objects vanished while no operator ran
  let refreshing: Promise<unknown> | null = null;
  const refreshSpend = () => {
    refreshing ??= refreshBudgetSpend(deps, cached('Budget') as KubeObject[]).finally(() => (refreshing = null));
  };
  const budgetTimer = setInterval(refreshSpend, options.budgetResyncMs ?? 30_000);
  const allTimer = setInterval(() => sync(KIND_NAMES), resyncMs);

  return {
    reconciled: () => reconciled,
    async stop() {
      clearInterval(budgetTimer);
      clearInterval(allTimer);
      await queue.stop();
      await refreshing;
      await Promise.all([...informers.values()].flat().map((i) => i.stop()));
    },
  };
}
