import { compileAccount, compilePerson } from './compile-person.ts';
import { addMembership, emptyIndex, publish, publishAccount, setAccount, setBudget, setModelPolicy, setTeam, type AccountEntry, type PolicyIndex } from './policy-index.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import type { Slicer } from './slicer.ts';

/**
 * Builds a complete index from a snapshot, yielding whenever the slicer says its slice is
 * used up, so that the caller can give the event loop back in between (live-policy.ts).
 * Nothing it builds is visible until the caller swaps it in.
 */
export function* buildIndex(snapshot: PolicySnapshot, slicer: Slicer): Generator<void, PolicyIndex, void> {
  const index = emptyIndex();
  const due = () => slicer.due();
  for (const team of snapshot.teams) {
    setTeam(index, team.id, team);
    if (due()) yield;
  }
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
  for (const budget of snapshot.budgets) {
    setBudget(index, budget.id, budget);
    if (due()) yield;
  }
  for (const policy of snapshot.policies) {
    setModelPolicy(index, policy.id, policy);
    if (due()) yield;
  }
  for (const id of index.people.keys()) {
    publish(index, compilePerson(index, id)!);
    if (due()) yield;
  }
  const accounts = new Map<bigint, AccountEntry & { keys: { id: bigint; hash: string }[] }>();
  for (const key of snapshot.serviceKeys) {
    let account = accounts.get(key.service_account_id);
    if (!account) {
      account = { id: key.service_account_id, name: key.name, jobLevel: key.job_level, teamKey: `${key.team_namespace}/${key.team_name}`, keys: [] };
      accounts.set(account.id, account);
    }
    account.keys.push({ id: key.id, hash: key.key_hash });
  }
  for (const account of accounts.values()) {
    setAccount(index, account.id, account);
    publishAccount(index, account.id, compileAccount(index, account.id));
    if (due()) yield;
  }
  return index;
}
