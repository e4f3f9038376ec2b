import type { Period } from '../ledger/period.ts';
import type { ServiceAccountRef } from './compile-service-accounts.ts';

export interface PersonBudget {
  readonly budgetId: bigint;
  readonly budget: string; // namespace/name
  readonly owner: string; // 'shared' or 'person:<id>'
  readonly period: Period;
  readonly timeZone: string;
  readonly limitNanos: bigint;
  readonly hard: boolean;
}

export interface PersonPolicy {
  readonly personId: bigint;
  readonly email: string;
  readonly name: string | null;
  readonly jobLevel: number | null;
  /** The team the ledger books spend to: the first membership by namespace/name. */
  readonly team: { readonly key: string; readonly costCenter: string | null } | null;
  /** In budget id order. */
  readonly budgets: readonly PersonBudget[];
  /**
   * A model is allowed when a policy allows one of its names and none denies any of them.
   * Pass the request's family (`ResolvedModel.family`: the id asked for, its canonical
   * model, both without a snapshot date) so that a rule on a model covers its snapshots.
   */
  readonly isAllowed: (providerModel: string | readonly string[]) => boolean;
  readonly rateLimits: { readonly requestsPerMinute: number | null; readonly tokensPerMinute: number | null };
  /** Set when the key belongs to a team's service account (then `personId` is the negated account id). */
  readonly serviceAccount?: ServiceAccountRef;
}

export interface CompiledPolicy {
  readonly byKeyHash: ReadonlyMap<string, PersonPolicy>;
  readonly byEmail: ReadonlyMap<string, PersonPolicy>;
}
