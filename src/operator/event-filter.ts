import type { KubernetesObject } from '@kubernetes/client-node';
import { FINALIZER } from './kinds.ts';

/**
 * Pure: whether a watch event is worth a reconcile (controller-runtime's
 * GenerationChangedPredicate, plus what the finalizer needs). The operator's own status
 * writes come back as updates with an unchanged generation: they are skipped, and so
 * is any other status-only change until the next resync.
 */
export function worthReconciling(type: 'add' | 'update' | 'delete', obj: KubernetesObject, lastGeneration: number | undefined): boolean {
  if (type !== 'update' || lastGeneration === undefined) return true;
  if (obj.metadata?.deletionTimestamp) return true;
  if (!(obj.metadata?.finalizers ?? []).includes(FINALIZER)) return true;
  return obj.metadata?.generation !== lastGeneration;
}
