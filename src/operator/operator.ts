import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { reconcileBudget } from './budget.reconcile.ts';
import { watchKind, type InformerHandle } from './informers.ts';
import { GROUP, KIND_NAMES, KINDS, VERSION, keyString, parseKey } from './kinds.ts';
import type { KubeApi } from './kube-api.ts';
import { reconcileModelPolicy } from './model-policy.reconcile.ts';
import { reconcileResource, type ApplyKind } from './reconcile-resource.ts';
import { reconcileTeam } from './team.reconcile.ts';
import { createWorkQueue } from './work-queue.ts';

const RECONCILERS: Readonly<Record<ResourceKind, ApplyKind>> = {
  Team: reconcileTeam,
  Budget: reconcileBudget,
  ModelPolicy: reconcileModelPolicy,
};

export interface OperatorOptions {
  readonly namespaces: readonly string[] | null; // null: all namespaces
  /** Budgets are re-reconciled this often to refresh their spend in status. */
  readonly budgetResyncMs?: number;
  /** Everything is re-reconciled this often (level-based safety net). */
  readonly resyncMs?: number;
}

export interface RunningOperator {
  readonly reconciled: () => number;
  stop(): Promise<void>;
}

/** Informers → keyed queue → one reconciler per Kind. Call only while leader. */
export function runOperator(api: KubeApi, db: Db, logger: Logger, options: OperatorOptions): RunningOperator {
  let reconciled = 0;
  const deps = { api, db, logger };
  const queue = createWorkQueue(async (key) => {
    const k = parseKey(key);
    try {
      const done = await reconcileResource(deps, k, RECONCILERS[k.kind]);
      if (done) queue.forget(key);
      else queue.retry(key);
      reconciled++;
    } catch (error) {
      logger.warn({ key, err: error }, 'reconcile failed; retrying with back-off');
      queue.retry(key);
    }
  });

  const scopes = options.namespaces ?? [null];
  const informers: InformerHandle[] = KIND_NAMES.flatMap((kind) => scopes.map((ns) => watchKind(api, kind, ns, queue.add, logger)));

  // Periodic resync: list and enqueue (Budgets often, for their spend; all kinds rarely).
  const resync = async (kinds: readonly ResourceKind[]) => {
    for (const kind of kinds) {
      for (const ns of scopes) {
        try {
          const list = (ns
            ? await api.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: KINDS[kind].plural })
            : await api.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: KINDS[kind].plural })) as { items: { metadata: { namespace: string; name: string } }[] };
          for (const item of list.items) queue.add(keyString({ kind, namespace: item.metadata.namespace, name: item.metadata.name }));
        } catch (error) {
          logger.warn({ kind, err: error }, 'resync list failed');
        }
      }
    }
  };
  const budgetTimer = setInterval(() => void resync(['Budget']), options.budgetResyncMs ?? 30_000);
  const allTimer = setInterval(() => void resync(KIND_NAMES), options.resyncMs ?? 300_000);

  return {
    reconciled: () => reconciled,
    async stop() {
      clearInterval(budgetTimer);
      clearInterval(allTimer);
      queue.stop();
      await Promise.all(informers.map((i) => i.stop()));
    },
  };
}
