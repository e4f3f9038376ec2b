import { compileAccount, compilePerson } from './compile-person.ts';
import type { PersonPolicy } from './person-policy.ts';
import {
  addTargeted,
  addTargetedAccounts,
  publish,
  publishAccount,
  setAccount,
  setBudget,
  setModelPolicy,
  setPerson,
  setPersonTeams,
  setTeam,
  setTeamMembers,
  unpublish,
  unpublishAccount,
  type AccountEntry,
  type BudgetRow,
  type ModelPolicyRow,
  type PersonRow,
  type PolicyIndex,
  type TeamRow,
} from './policy-index.ts';
import type { Slicer } from './slicer.ts';

/** Rows re-read for a batch of changes (one consistent snapshot); null = inactive or gone. */
export interface PolicyDelta {
  readonly people: ReadonlyMap<bigint, { readonly row: PersonRow | null; readonly keys: readonly string[]; readonly teams: readonly bigint[] }>;
  readonly teams: ReadonlyMap<bigint, { readonly row: TeamRow | null; readonly members: readonly bigint[] }>;
  readonly budgets: ReadonlyMap<bigint, BudgetRow | null>;
  readonly policies: ReadonlyMap<bigint, ModelPolicyRow | null>;
  /** Service accounts named by a change, and every account of a changed team. */
  readonly accounts: ReadonlyMap<bigint, AccountEntry | null>;
}

/**
 * Applies re-read rows to the index and recompiles only the people they reach: the people
 * themselves, a team's members before and after, the people a budget or policy targeted
 * before and targets after (and likewise the service accounts). Recompiling yields when the slicer says so; the results are
 * published together at the end, so requests see the previous policy or the new one,
 * never half of a change. Returns how many people were recompiled.
 */
export function* applyDelta(index: PolicyIndex, delta: PolicyDelta, slicer: Slicer): Generator<void, { people: number; accounts: number }, void> {
  const affected = new Set<bigint>(delta.people.keys());
  const accounts = new Set<bigint>(delta.accounts.keys());
  const reach = () => {
    for (const teamId of delta.teams.keys()) for (const personId of index.membersOf.get(teamId) ?? []) affected.add(personId);
    for (const id of delta.budgets.keys()) {
      const budget = index.budgets.get(id);
      if (budget) addTargeted(index, budget.row.namespace, budget.target, affected);
      if (budget) addTargetedAccounts(index, budget.row.namespace, budget.target, accounts);
    }
    for (const id of delta.policies.keys()) {
      const policy = index.policies.get(id);
      if (policy) addTargeted(index, policy.row.namespace, policy.target, affected);
      if (policy) addTargetedAccounts(index, policy.row.namespace, policy.target, accounts);
    }
  };
  reach(); // who the old rows reached

  for (const [id, team] of delta.teams) {
    setTeam(index, id, team.row);
    setTeamMembers(index, id, team.members);
  }
  for (const [id, person] of delta.people) {
    setPerson(index, id, person.row, person.keys);
    setPersonTeams(index, id, person.teams);
  }
  for (const [id, row] of delta.budgets) setBudget(index, id, row);
  for (const [id, row] of delta.policies) setModelPolicy(index, id, row);
  for (const [id, entry] of delta.accounts) setAccount(index, id, entry);

  reach(); // who the new rows reach

  const next: PersonPolicy[] = [];
  for (const id of affected) {
    const policy = compilePerson(index, id);
    if (policy) next.push(policy);
    if (slicer.due()) yield;
  }
  const principals = new Map<bigint, Map<string, PersonPolicy>>();
  for (const id of accounts) {
    principals.set(id, compileAccount(index, id));
    if (slicer.due()) yield;
  }
  for (const id of affected) unpublish(index, id);
  for (const id of accounts) unpublishAccount(index, id);
  for (const policy of next) publish(index, policy);
  for (const [id, keys] of principals) publishAccount(index, id, keys);
  return { people: affected.size, accounts: accounts.size };
}
