import { compilePerson } from './compile-person.ts';
import { addMembership, emptyIndex, publish, setBudget, setModelPolicy, setTeam, type PolicyIndex } from './policy-index.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';

/**
 * Builds a complete index from a snapshot, yielding after every `slice` units of work (a
 * row indexed or a person compiled) so that a caller can give the event loop back in
 * between (see live-policy.ts). Nothing it builds is visible until the caller swaps it in.
 */
export function* buildIndex(snapshot: PolicySnapshot, slice: number): Generator<void, PolicyIndex, void> {
  const index = emptyIndex();
  let work = 0;
  const due = () => ++work % slice === 0;
  for (const team of snapshot.teams) setTeam(index, team.id, team);
  for (const m of snapshot.members) {
    addMembership(index, m.team_id, m.person_id);
    if (due()) yield;
  }
  for (const person of snapshot.people) {
    index.people.set(person.id, person);
    index.idByEmail.set(person.email, person.id);
    if (due()) yield;
  }
  for (const key of snapshot.keys) {
    if (!index.people.has(key.person_id)) continue;
    const keys = index.keysOf.get(key.person_id) as string[] | undefined;
    if (keys) keys.push(key.key_hash);
    else index.keysOf.set(key.person_id, [key.key_hash]);
    if (due()) yield;
  }
  for (const budget of snapshot.budgets) setBudget(index, budget.id, budget);
  for (const policy of snapshot.policies) setModelPolicy(index, policy.id, policy);
  for (const id of index.people.keys()) {
    publish(index, compilePerson(index, id)!);
    if (due()) yield;
  }
  return index;
}

/** Runs a sliced computation to the end at once (reports, alerts, tests). */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a sliced computation, giving the event loop back between slices. */
export async function runSliced<T>(steps: Generator<void, T, void>, yieldToLoop: () => Promise<void>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToLoop();
  }
}
