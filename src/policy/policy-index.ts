import type { CompiledPolicy, PersonBudget, PersonPolicy } from './person-policy.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import { storedTargetSchema, type Target } from './resource.schema.ts';

export type PersonRow = PolicySnapshot['people'][number];
export type TeamRow = PolicySnapshot['teams'][number];
export type BudgetRow = PolicySnapshot['budgets'][number];
export type ModelPolicyRow = PolicySnapshot['policies'][number];

export interface TeamEntry {
  readonly row: TeamRow;
  readonly key: string; // namespace/name
  /** Shared by every member's PersonPolicy. */
  readonly ref: NonNullable<PersonPolicy['team']>;
}

export interface BudgetEntry {
  readonly row: BudgetRow;
  readonly target: Target;
  /** namespace/name, one string for every member's PersonBudget. */
  readonly key: string;
  /** A Shared budget's one wallet, the same object in every member's PersonPolicy. */
  readonly shared: PersonBudget | null;
}

export interface ModelPolicyEntry {
  readonly row: ModelPolicyRow;
  readonly target: Target;
}

/** An active service account (declared in its Team's YAML) and its unrevoked keys. */
export interface AccountEntry {
  readonly id: bigint;
  readonly name: string;
  readonly jobLevel: number | null;
  readonly teamKey: string; // namespace/name of its team (active or not)
  readonly keys: readonly { readonly id: bigint; readonly hash: string }[];
}

/** Which budgets (or policies) name a team (`namespace/team`) or a user email in their target. */
export interface TargetIndex {
  readonly byTeam: Map<string, Set<bigint>>;
  readonly byEmail: Map<string, Set<bigint>>;
}

/** What a set of matching ModelPolicies compiles to, shared by everyone matched by exactly that set. */
export interface Matcher {
  readonly policyIds: readonly bigint[];
  readonly isAllowed: PersonPolicy['isAllowed'];
  readonly rateLimits: PersonPolicy['rateLimits'];
}

interface Published {
  readonly byKeyHash: Map<string, PersonPolicy>;
  readonly byEmail: Map<string, PersonPolicy>;
  /** What is published for each person (policy, keys), so that it can be withdrawn exactly. */
  readonly byId: Map<bigint, PersonPolicy>;
  readonly keysById: Map<bigint, readonly string[]>;
  /** The key hashes published for each service account. */
  readonly accountKeys: Map<bigint, readonly string[]>;
  readonly compiled: CompiledPolicy;
}

/**
 * The policy rows a replica holds, indexed so that a change finds the people it reaches
 * and a person finds the budgets and policies that may apply to them without scanning
 * all of them; plus what is published to requests (`published.compiled`). Requests only
 * read `published`; everything else is the updater's working state.
 */
export interface PolicyIndex {
  readonly people: Map<bigint, PersonRow>; // active people
  readonly idByEmail: Map<string, bigint>; // active people
  readonly keysOf: Map<bigint, readonly string[]>; // unrevoked key hashes of active people
  readonly teams: Map<bigint, TeamEntry>; // active teams
  readonly teamIdByKey: Map<string, bigint>; // active teams
  /** Every team_members row, both ways (inactive teams and people included). */
  readonly teamsOf: Map<bigint, readonly bigint[]>;
  readonly membersOf: Map<bigint, Set<bigint>>;
  readonly budgets: Map<bigint, BudgetEntry>; // active
  readonly budgetsBy: TargetIndex;
  readonly policies: Map<bigint, ModelPolicyEntry>; // active
  readonly policiesBy: TargetIndex;
  readonly matchers: Map<string, Matcher>;
  readonly accounts: Map<bigint, AccountEntry>; // active service accounts
  readonly accountsOfTeam: Map<string, Set<bigint>>; // team namespace/name → account ids
  readonly published: Published;
}

export function emptyIndex(): PolicyIndex {
  const byKeyHash = new Map<string, PersonPolicy>();
  const byEmail = new Map<string, PersonPolicy>();
  return {
    people: new Map(),
    idByEmail: new Map(),
    keysOf: new Map(),
    teams: new Map(),
    teamIdByKey: new Map(),
    teamsOf: new Map(),
    membersOf: new Map(),
    budgets: new Map(),
    budgetsBy: { byTeam: new Map(), byEmail: new Map() },
    policies: new Map(),
    policiesBy: { byTeam: new Map(), byEmail: new Map() },
    matchers: new Map(),
    accounts: new Map(),
    accountsOfTeam: new Map(),
    published: { byKeyHash, byEmail, byId: new Map(), keysById: new Map(), accountKeys: new Map(), compiled: { byKeyHash, byEmail } },
  };
}

export const compareIds = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- rows in (each replaces what the index held for that row; null = inactive or gone) ----

export function setPerson(index: PolicyIndex, id: bigint, row: PersonRow | null, keys: readonly string[]): void {
  const previous = index.people.get(id);
  if (previous && index.idByEmail.get(previous.email) === id) index.idByEmail.delete(previous.email);
  if (!row) {
    index.people.delete(id);
    index.keysOf.delete(id);
    return;
  }
  index.people.set(id, row);
  index.idByEmail.set(row.email, id);
  if (keys.length > 0) index.keysOf.set(id, keys);
  else index.keysOf.delete(id);
}

export function setTeam(index: PolicyIndex, id: bigint, row: TeamRow | null): void {
  const previous = index.teams.get(id);
  if (previous && index.teamIdByKey.get(previous.key) === id) index.teamIdByKey.delete(previous.key);
  if (!row) {
    index.teams.delete(id);
    return;
  }
  const key = `${row.namespace}/${row.name}`;
  index.teams.set(id, { row, key, ref: { key, costCenter: row.cost_center } });
  index.teamIdByKey.set(key, id);
}

/** Replaces a person's memberships (their team_members rows), keeping both directions in step. */
export function setPersonTeams(index: PolicyIndex, personId: bigint, teamIds: readonly bigint[]): void {
  const before = index.teamsOf.get(personId) ?? [];
  for (const teamId of before) if (!teamIds.includes(teamId)) index.membersOf.get(teamId)?.delete(personId);
  for (const teamId of teamIds) membersOf(index, teamId).add(personId);
  if (teamIds.length > 0) index.teamsOf.set(personId, [...teamIds]);
  else index.teamsOf.delete(personId);
}

/** Replaces a team's members (its team_members rows), keeping both directions in step. */
export function setTeamMembers(index: PolicyIndex, teamId: bigint, personIds: readonly bigint[]): void {
  const next = new Set(personIds);
  const current = membersOf(index, teamId);
  for (const personId of current) {
    if (next.has(personId)) continue;
    current.delete(personId);
    const rest = (index.teamsOf.get(personId) ?? []).filter((t) => t !== teamId);
    if (rest.length > 0) index.teamsOf.set(personId, rest);
    else index.teamsOf.delete(personId);
  }
  for (const personId of next) {
    if (current.has(personId)) continue;
    current.add(personId);
    index.teamsOf.set(personId, [...(index.teamsOf.get(personId) ?? []), teamId]);
  }
}

export function addMembership(index: PolicyIndex, teamId: bigint, personId: bigint): void {
  const set = membersOf(index, teamId);
  if (set.has(personId)) return;
  set.add(personId);
  const teams = index.teamsOf.get(personId) as bigint[] | undefined;
  if (teams) teams.push(teamId);
  else index.teamsOf.set(personId, [teamId]);
}

function membersOf(index: PolicyIndex, teamId: bigint): Set<bigint> {
  let set = index.membersOf.get(teamId);
  if (!set) index.membersOf.set(teamId, (set = new Set()));
  return set;
}

export function setBudget(index: PolicyIndex, id: bigint, row: BudgetRow | null): void {
  const previous = index.budgets.get(id);
  if (previous) unindexTarget(index.budgetsBy, id, previous.row.namespace, previous.target);
  if (!row) {
    index.budgets.delete(id);
    return;
  }
  const target = storedTargetSchema.parse(row.target);
  const key = `${row.namespace}/${row.name}`;
  const shared: PersonBudget | null = row.scope === 'Shared' ? personBudget(row, key, 'shared') : null;
  index.budgets.set(id, { row, target, key, shared });
  indexTarget(index.budgetsBy, id, row.namespace, target);
}

export function setModelPolicy(index: PolicyIndex, id: bigint, row: ModelPolicyRow | null): void {
  const previous = index.policies.get(id);
  if (previous) unindexTarget(index.policiesBy, id, previous.row.namespace, previous.target);
  // Whoever shared a matcher built from the old row is recompiled with a new one.
  for (const [key, matcher] of index.matchers) if (matcher.policyIds.includes(id)) index.matchers.delete(key);
  if (!row) {
    index.policies.delete(id);
    return;
  }
  const target = storedTargetSchema.parse(row.target);
  index.policies.set(id, { row, target });
  indexTarget(index.policiesBy, id, row.namespace, target);
}

export function setAccount(index: PolicyIndex, id: bigint, entry: AccountEntry | null): void {
  const previous = index.accounts.get(id);
  if (previous) removeFrom(index.accountsOfTeam, previous.teamKey, id);
  if (!entry) {
    index.accounts.delete(id);
    return;
  }
  index.accounts.set(id, entry);
  addTo(index.accountsOfTeam, entry.teamKey, id);
}

export function personBudget(row: BudgetRow, key: string, owner: string): PersonBudget {
  return {
    budgetId: row.id,
    budget: key,
    owner,
    period: row.period,
    timeZone: row.time_zone,
    limitNanos: row.amount_nanos,
    hard: row.enforcement === 'Hard',
  };
}

function indexTarget(by: TargetIndex, id: bigint, namespace: string, target: Target): void {
  for (const team of target.teams) addTo(by.byTeam, `${namespace}/${team}`, id);
  for (const email of target.users) addTo(by.byEmail, email, id);
}

function unindexTarget(by: TargetIndex, id: bigint, namespace: string, target: Target): void {
  for (const team of target.teams) removeFrom(by.byTeam, `${namespace}/${team}`, id);
  for (const email of target.users) removeFrom(by.byEmail, email, id);
}

function addTo(map: Map<string, Set<bigint>>, key: string, id: bigint): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<bigint>>, key: string, id: bigint): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}

// ---- reach: who a target may apply to (a superset: job levels are checked when compiling) ----

export function addTargeted(index: PolicyIndex, namespace: string, target: Target, into: Set<bigint>): void {
  for (const team of target.teams) {
    const teamId = index.teamIdByKey.get(`${namespace}/${team}`);
    if (teamId === undefined) continue;
    for (const personId of index.membersOf.get(teamId) ?? []) into.add(personId);
  }
  for (const email of target.users) {
    const personId = index.idByEmail.get(email);
    if (personId !== undefined) into.add(personId);
  }
}

/** Service accounts a target may apply to: those of the teams it names (never `users`). */
export function addTargetedAccounts(index: PolicyIndex, namespace: string, target: Target, into: Set<bigint>): void {
  for (const team of target.teams) for (const id of index.accountsOfTeam.get(`${namespace}/${team}`) ?? []) into.add(id);
}

// ---- publishing: what requests see ----

/** Withdraws what was published for a person (their keys and email stop resolving to it). */
export function unpublish(index: PolicyIndex, personId: bigint): void {
  const { byId, keysById, byKeyHash, byEmail } = index.published;
  const previous = byId.get(personId);
  if (!previous) return;
  for (const key of keysById.get(personId) ?? []) if (byKeyHash.get(key) === previous) byKeyHash.delete(key);
  if (byEmail.get(previous.email) === previous) byEmail.delete(previous.email);
  byId.delete(personId);
  keysById.delete(personId);
}

export function publish(index: PolicyIndex, policy: PersonPolicy): void {
  const { byId, keysById, byKeyHash, byEmail } = index.published;
  const keys = index.keysOf.get(policy.personId); // never mutated once set: setPerson replaces it
  byId.set(policy.personId, policy);
  if (keys) {
    keysById.set(policy.personId, keys);
    for (const key of keys) byKeyHash.set(key, policy);
  }
  byEmail.set(policy.email, policy);
}

export function unpublishAccount(index: PolicyIndex, accountId: bigint): void {
  const { accountKeys, byKeyHash } = index.published;
  for (const key of accountKeys.get(accountId) ?? []) if (byKeyHash.get(key)?.serviceAccount?.id === accountId) byKeyHash.delete(key);
  accountKeys.delete(accountId);
}

/** One principal per key of the account (each names its key for the ledger). */
export function publishAccount(index: PolicyIndex, accountId: bigint, principals: ReadonlyMap<string, PersonPolicy>): void {
  if (principals.size === 0) return;
  for (const [key, principal] of principals) index.published.byKeyHash.set(key, principal);
  index.published.accountKeys.set(accountId, [...principals.keys()]);
}
