import { makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { KINDS } from '../policy/kinds.ts';
import { GROUP, VERSION } from './kinds.ts';
import type { KubeApi } from './kube-api.ts';

export interface InformerHandle {
  /** The informer's cache: the objects as last seen, optionally of one namespace. */
  list(namespace?: string): readonly KubernetesObject[];
  get(namespace: string, name: string): KubernetesObject | undefined;
  stop(): Promise<void>;
}

export interface WatchOptions {
  readonly onEvent: (type: 'add' | 'update' | 'delete', obj: KubernetesObject) => void;
  readonly logger: Logger;
  readonly baseDelayMs?: number;
  /** Kept short: changes made while the watch is down are only seen after the restart. */
  readonly maxDelayMs?: number;
}

/**
 * Watches one Kind (all namespaces, or one) and hands every added, changed or deleted
 * object to `onEvent` (which only enqueues its key). The client's informers stop for
 * good on errors other than 410 Gone (kubernetes-client/javascript #2385, #958): this
 * one restarts itself with exponential back-off, so an API server restart is survived
 * without restarting the operator. The back-off resets once a list or an event succeeds.
 */
export function watchKind(api: KubeApi, kind: ResourceKind, namespace: string | null, options: WatchOptions): InformerHandle {
  const { logger } = options;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5000;
  const plural = KINDS[kind].plural;
  const path = namespace ? `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}` : `/apis/${GROUP}/${VERSION}/${plural}`;

  let delay = base;
  const list = async () => {
    const result = await (namespace
      ? api.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
      : api.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural }));
    delay = base;
    return result as { items: KubernetesObject[]; metadata: object };
  };
  const informer = makeInformer(api.kc, path, list as never);
  for (const type of ['add', 'update', 'delete'] as const) {
    informer.on(type, (obj: KubernetesObject) => {
      delay = base;
      options.onEvent(type, obj);
    });
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    if (stopped) return;
    informer.start().catch(restart);
  };
  function restart(error: unknown) {
    if (stopped) return;
    logger.warn({ kind, namespace, retryInMs: delay, err: error }, 'watch failed; restarting the informer');
    clearTimeout(timer);
    timer = setTimeout(start, delay);
    delay = Math.min(delay * 2, max);
  }
  informer.on('error', restart);
  start();

  return {
    list: (ns) => informer.list(ns),
    get: (ns, name) => informer.get(name, ns),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await informer.stop();
    },
  };
}
