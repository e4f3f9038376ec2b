import { budgetSchema, modelPolicySchema, teamSchema, type ResourceKind } from '../policy/resource.schema.ts';

export const GROUP = 'stipend.dev';
export const VERSION = 'v1alpha1';
export const FINALIZER = 'stipend.dev/cleanup';

export const KINDS = {
  Team: { plural: 'teams', schema: teamSchema },
  Budget: { plural: 'budgets', schema: budgetSchema },
  ModelPolicy: { plural: 'modelpolicies', schema: modelPolicySchema },
} as const;

export const KIND_NAMES = Object.keys(KINDS) as ResourceKind[];

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
