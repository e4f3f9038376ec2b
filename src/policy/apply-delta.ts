import { compilePerson } from './compile-person.ts';
import type { PersonPolicy } from './person-policy.ts';
import {
  addTargeted,
  publish,
  setBudget,
  setModelPolicy,
  setPerson,
  setPersonTeams,
  setTeam,
  setTeamMembers,
  unpublish,
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
}

/**
 * Applies re-read rows to the index and recompiles only the people they reach: the people
 * themselves, a team's members before and after, the people a budget or policy targeted
 * before and targets after. Recompiling yields when the slicer says so; the results are
 * published together at the end, so requests see the previous policy or the new one,
 * never half of a change. Returns how many people were recompiled.
 */
export function* applyDelta(index: PolicyIndex, delta: PolicyDelta, slicer: Slicer): Generator<void, number, void> {
  const affected = new Set<bigint>(delta.people.keys());
  const reach = () => {
    for (const teamId of delta.teams.keys()) for (const personId of index.membersOf.get(teamId) ?? []) affected.add(personId);
    for (const id of delta.budgets.keys()) {
      const budget = index.budgets.get(id);
      if (budget) addTargeted(index, budget.row.namespace, budget.target, affected);
    }
    for (const id of delta.policies.keys()) {
      const policy = index.policies.get(id);
      if (policy) addTargeted(index, policy.row.namespace, policy.target, affected);
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

  reach(); // who the new rows reach

  const next: PersonPolicy[] = [];
  for (const id of affected) {
    const policy = compilePerson(index, id);
    if (policy) next.push(policy);
    if (slicer.due()) yield;
  }
  for (const id of affected) unpublish(index, id);
  for (const policy of next) publish(index, policy);
  return affected.size;
}
