import type { ResourceKind } from '../policy/resource.schema.ts';

// The Kinds themselves (schema, plural, table) are one table in policy/kinds.ts; this is the
// operator's side: the API group, the finalizer and work-queue keys.
export const GROUP = 'stipend.dev';
export const VERSION = 'v1alpha1';
export const FINALIZER = 'stipend.dev/cleanup';

/** Work-queue keys name the object only: reconcile reads its current state (level-based). */
export interface ObjectKey {
  readonly kind: ResourceKind;
  readonly namespace: string;
  readonly name: string;
}

export const keyString = (k: ObjectKey) => `${k.kind}/${k.namespace}/${k.name}`;

export function parseKey(key: string): ObjectKey {
  const [kind, namespace, name] = key.split('/') as [ResourceKind, string, string];
  return { kind, namespace, name };
}
