import { makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { GROUP, KINDS, VERSION, keyString } from './kinds.ts';
import type { KubeApi } from './kube-api.ts';

export interface InformerHandle {
  stop(): Promise<void>;
}

/**
 * Watches one Kind (all namespaces, or one) and only enqueues `Kind/namespace/name`.
 * The client's informers stop on errors other than 410 (kubernetes-client/javascript
 * #2385, #958): this one restarts itself with back-off, so a restarted API server is
 * survived without restarting the operator.
 */
export function watchKind(api: KubeApi, kind: ResourceKind, namespace: string | null, enqueue: (key: string) => void, logger: Logger): InformerHandle {
  const plural = KINDS[kind].plural;
  const path = namespace ? `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}` : `/apis/${GROUP}/${VERSION}/${plural}`;
  const list = () =>
    (namespace
      ? api.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
      : api.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as Promise<{ items: KubernetesObject[]; metadata: object }>;
  const informer = makeInformer(api.kc, path, list as never);
  const enqueueObject = (obj: KubernetesObject) =>
    enqueue(keyString({ kind, namespace: obj.metadata?.namespace ?? 'default', name: obj.metadata?.name ?? '' }));
  informer.on('add', enqueueObject);
  informer.on('update', enqueueObject);
  informer.on('delete', enqueueObject);

  let stopped = false;
  let delay = 500;
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    informer.start().then(
      () => (delay = 500),
      (error: unknown) => restart(error),
    );
  };
  const restart = (error: unknown) => {
    if (stopped) return;
    logger.warn({ kind, err: error }, 'watch failed; restarting');
    clearTimeout(timer);
    timer = setTimeout(start, delay);
    delay = Math.min(delay * 2, 30_000);
  };
  informer.on('error', restart);
  informer.on('connect', () => (delay = 500));
  start();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await informer.stop();
    },
  };
}
