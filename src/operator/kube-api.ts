import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { KINDS } from '../policy/kinds.ts';
import { GROUP, VERSION } from './kinds.ts';

/** The few Kubernetes calls the operator makes, as plain functions over one client pair. */
export interface KubeApi {
  readonly kc: KubeConfig;
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  /** Who records Events (the pod name). */
  readonly instance: string;
}

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; generation?: number; resourceVersion?: string; uid?: string; deletionTimestamp?: string; finalizers?: string[] };
  spec?: unknown;
  status?: Record<string, unknown>;
};

export function createKubeApi(kubeconfigPath?: string, instance = 'stipend-operator'): KubeApi {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  return { kc, custom: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api), instance };
}

export const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;
export const isConflict = (error: unknown) => error instanceof ApiException && (error.code === 409 || error.code === 422);

const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export async function getObject(api: KubeApi, kind: ResourceKind, namespace: string, name: string): Promise<KubeObject | null> {
  try {
    return (await api.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: KINDS[kind].plural, name })) as KubeObject;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Sets the finalizer list, guarded by resourceVersion: a concurrent change fails with a conflict. */
export async function setFinalizers(api: KubeApi, kind: ResourceKind, obj: KubeObject, finalizers: readonly string[]): Promise<KubeObject> {
  const body = [
    { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
    { op: 'add', path: '/metadata/finalizers', value: finalizers },
  ];
  return (await api.custom.patchNamespacedCustomObject(
    { group: GROUP, version: VERSION, namespace: obj.metadata.namespace, plural: KINDS[kind].plural, name: obj.metadata.name, body },
    JSON_PATCH,
  )) as KubeObject;
}

/** Writes status through the /status subresource, guarded by resourceVersion. */
export async function writeStatus(api: KubeApi, kind: ResourceKind, obj: KubeObject, status: Record<string, unknown>): Promise<void> {
  const body = [
    { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
    { op: 'add', path: '/status', value: status },
  ];
  await api.custom.patchNamespacedCustomObjectStatus(
    { group: GROUP, version: VERSION, namespace: obj.metadata.namespace, plural: KINDS[kind].plural, name: obj.metadata.name, body },
    JSON_PATCH,
  );
}

/** A Kubernetes Event on the object, for `kubectl describe`. Best effort: never fails a reconcile. */
export async function recordEvent(api: KubeApi, obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
  const now = new Date();
  await api.core
    .createNamespacedEvent({
      namespace: obj.metadata.namespace,
      body: {
        metadata: { generateName: `${obj.metadata.name}.`, namespace: obj.metadata.namespace },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid },
        type,
        reason,
        message,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        source: { component: 'stipend-operator' },
        reportingComponent: 'stipend.dev/operator',
        reportingInstance: api.instance,
      },
    })
    .catch(() => undefined);
}
