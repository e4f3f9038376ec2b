// The one table of resource Kinds: each Kind's schema, its Kubernetes plural, the Postgres
// table its rows live in and the change its rows announce (policy-change.ts). The operator,
// `stipend dev`'s folder sync and the deactivation of deleted resources all read it.
import { budgetChanged, modelPolicyChanged, teamChanged, type PolicyChange } from './policy-change.ts';
import { budgetSchema, modelPolicySchema, teamSchema, type ResourceKind, type StipendResource } from './resource.schema.ts';

export const KINDS = {
  Team: { schema: teamSchema, plural: 'teams', table: 'teams', changed: teamChanged },
  Budget: { schema: budgetSchema, plural: 'budgets', table: 'budgets', changed: budgetChanged },
  ModelPolicy: { schema: modelPolicySchema, plural: 'modelpolicies', table: 'model_policies', changed: modelPolicyChanged },
} as const satisfies Record<ResourceKind, { schema: unknown; plural: string; table: string; changed: (id: bigint) => PolicyChange }>;

/** In apply order: teams first, so that budgets and policies naming them find them. */
export const KIND_NAMES: readonly ResourceKind[] = ['Team', 'Budget', 'ModelPolicy'];

/** The resource of one Kind. */
export type ResourceOf<K extends ResourceKind> = Extract<StipendResource, { kind: K }>;
