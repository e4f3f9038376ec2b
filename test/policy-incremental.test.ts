// The gateway's policy kept current change by change, against real Postgres and the real
// writers: after any sequence of changes it equals a full compile of the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPolicyStore, type PolicyStore } from '../src/gateway/policy-store.ts';
import { hashApiKey } from '../src/keys/api-key.ts';
import { applyPerson, removePersonIn } from '../src/identity/people/apply-person.ts';
import { personRecordSchema } from '../src/identity/people/person-record.schema.ts';
import { createApiKey, createServiceKey, revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { applyBudget } from '../src/policy/apply-budget.ts';
import { applyModelPolicy } from '../src/policy/apply-model-policy.ts';
import { applyTeam } from '../src/policy/apply-team.ts';
import { compilePolicy } from '../src/policy/compile-policy.ts';
import { compilePolicyReference } from '../src/policy/compile-policy-reference.ts';
import { deactivateResource } from '../src/policy/deactivate-resource.ts';
import type { PolicyUpdate } from '../src/policy/live-policy.ts';
import { notifyChange } from '../src/policy/notify-change.ts';
import { personChanged } from '../src/policy/policy-change.ts';
import { loadPolicySnapshot } from '../src/policy/policy-snapshot.repository.ts';
import { budgetSchema, modelPolicySchema, teamSchema } from '../src/policy/resource.schema.ts';
import { fingerprint } from './support/policy-fingerprint.ts';
import { random } from './support/random.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { updateWaiter } from './support/update-waiter.ts';

const NAMESPACES = ['acme', 'beta'] as const;
const TEAMS = ['eng', 'product', 'design', 'support'] as const;
const PATTERNS = ['openai/*', 'anthropic/*', 'google/*', 'openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/o1-pro*', 'anthropic/claude-sonnet-*', 'google/gemini-2.5-flash'];

const SELECTED = { sales: { department: 'Sales' }, field: { department: 'Field', jobLevels: { min: 3 } } } as const; // teams SCIM people land in
const team = (
  namespace: string,
  name: string,
  costCenter: string,
  members: readonly { email: string; jobLevel?: number }[],
  serviceAccounts: readonly { name: string; jobLevel?: number }[] = [],
  memberSelector?: unknown,
) => teamSchema.parse({ apiVersion: 'stipend.dev/v1alpha1', kind: 'Team', metadata: { namespace, name }, spec: { costCenter, members, serviceAccounts, ...(memberSelector ? { memberSelector } : {}) } });

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('incremental policy updates', () => {
  it.each([1, 2, 3])('equal a full compile after every step of a random change sequence (seed %i), without a rebuild', async (seed) => {
    const db = database.handle.db;
    const r = random(seed);
    const ns = `${NAMESPACES[0]}${seed}`;
    const otherNs = `${NAMESPACES[1]}${seed}`;
    const emails = Array.from({ length: 24 }, (_, i) => `s${seed}-p${i}@x.example`);

    // A start: teams of YAML people, a few budgets and policies, keys.
    type TeamSpec = { ns: string; name: string; costCenter: string; members: { email: string; jobLevel?: number }[]; bots: { name: string; jobLevel?: number }[] };
    const teamSpecs = new Map<string, TeamSpec>();
    const bots = () => r.some(['ci', 'triage', 'docs'], 0.4).map((name) => (r.next() < 0.5 ? { name } : { name, jobLevel: r.int(8) }));
    for (const namespace of [ns, otherNs]) {
      for (const name of TEAMS) {
        const members = r.some(emails, 0.2).map((email) => ({ email, jobLevel: r.int(8) }));
        teamSpecs.set(`${namespace}/${name}`, { ns: namespace, name, costCenter: `CC-${name}`, members, bots: bots() });
      }
    }
    for (const namespace of [ns, otherNs]) {
      for (const name of Object.keys(SELECTED)) teamSpecs.set(`${namespace}/${name}`, { ns: namespace, name, costCenter: `CC-${name}`, members: [], bots: bots() });
    }
    const applyTeamSpec = (t: TeamSpec) => applyTeam(db, team(t.ns, t.name, t.costCenter, t.members, t.bots, SELECTED[t.name as keyof typeof SELECTED]));
    const directory = Array.from({ length: 12 }, (_, i) => `s${seed}-d${i}@x.example`);
    for (const t of teamSpecs.values()) await applyTeamSpec(t);

    const target = (namespace: string) => {
      const t: { teams: string[]; users: string[]; jobLevels?: { min?: number; max?: number } } = { teams: r.some([...TEAMS, ...Object.keys(SELECTED)], 0.3), users: r.some([...emails, ...directory], 0.04) };
      if (r.next() < 0.4) t.jobLevels = r.next() < 0.5 ? { min: r.int(6) } : { min: r.int(4), max: 4 + r.int(4) };
      if (t.teams.length === 0 && t.users.length === 0) t.teams.push(r.pick(TEAMS));
      void namespace;
      return t;
    };
    const budget = (namespace: string, name: string) =>
      budgetSchema.parse({
        apiVersion: 'stipend.dev/v1alpha1',
        kind: 'Budget',
        metadata: { namespace, name },
        spec: { target: target(namespace), scope: r.pick(['PerMember', 'Shared']), amount: `${1 + r.int(3000)}.00`, period: r.pick(['Daily', 'Weekly', 'Monthly']), enforcement: r.pick(['Hard', 'Soft']) },
      });
    const policy = (namespace: string, name: string) => {
      const allow = r.some(PATTERNS, 0.3);
      return modelPolicySchema.parse({
        apiVersion: 'stipend.dev/v1alpha1',
        kind: 'ModelPolicy',
        metadata: { namespace, name },
        spec: {
          target: target(namespace),
          allow: allow.length > 0 ? allow : [r.pick(PATTERNS)],
          deny: r.some(PATTERNS, 0.1),
          ...(r.next() < 0.3 ? { rateLimits: { requestsPerMinute: 1 + r.int(100) } } : {}),
        },
      });
    };
    for (let i = 0; i < 4; i++) await applyBudget(db, budget(r.pick([ns, otherNs]), `b${i}`));
    for (let i = 0; i < 3; i++) await applyModelPolicy(db, policy(r.pick([ns, otherNs]), `m${i}`));
    const sentinel = await db.insertInto('people').values({ email: `sentinel${seed}@x.example`, name: 'tick-0', job_level: null, department: null, title: null, external_id: null }).returning('id').executeTakeFirstOrThrow();
    for (const email of r.some(emails, 0.6)) {
      const person = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst();
      if (person) await createApiKey(db, email);
    }

    for (const a of await db.selectFrom('service_accounts').innerJoin('teams', 'teams.id', 'service_accounts.team_id').select(['teams.namespace', 'teams.name as team', 'service_accounts.name']).where('teams.namespace', 'in', [ns, otherNs]).execute()) {
      if (r.next() < 0.7) await createServiceKey(db, `${a.namespace}/${a.team}/${a.name}`);
    }

    const waiter = updateWaiter();
    const updates: PolicyUpdate[] = [];
    const store: PolicyStore = await startPolicyStore(database.handle, () => undefined, {
      onUpdate: (u) => {
        updates.push(u);
        waiter.notify();
      },
    });

    // A directory writer (what SCIM and the HRIS sync do): person rows and their selected memberships.
    const personWrite = async (ids: readonly bigint[], write: (tx: typeof db) => Promise<unknown>) =>
      db.transaction().execute(async (tx) => {
        await write(tx);
        await notifyChange(tx, personChanged(ids));
      });
    const activePeople = async () =>
      db.selectFrom('people').select(['id', 'email']).where('active', '=', true).where('access_suspended_at', 'is', null).where('email', 'like', `s${seed}-%`).execute();
    const allPeople = async () => db.selectFrom('people').select(['id', 'email', 'active']).where('email', 'like', `s${seed}-%`).execute();
    const teamIds = async () => db.selectFrom('teams').select(['id', 'namespace', 'name']).where('namespace', 'in', [ns, otherNs]).execute();

    const operations: Record<string, () => Promise<unknown>> = {
      async createKey() {
        const people = await activePeople();
        if (people.length > 0) await createApiKey(db, r.pick(people).email);
      },
      async revokeKey() {
        const keys = await db.selectFrom('api_keys').select('id').where('revoked_at', 'is', null).execute();
        if (keys.length > 0) await revokeApiKeys(db, { id: r.pick(keys).id });
      },
      async revokePerson() {
        await revokeApiKeys(db, { email: r.pick(emails) });
      },
      async personLevel() {
        const people = await allPeople();
        const p = r.pick(people);
        await personWrite([p.id], (tx) => tx.updateTable('people').set({ job_level: r.next() < 0.1 ? null : r.int(9), name: `n${r.int(100)}` }).where('id', '=', p.id).execute());
      },
      async personActive() {
        const p = r.pick(await allPeople());
        await personWrite([p.id], (tx) => tx.updateTable('people').set({ active: !p.active }).where('id', '=', p.id).execute());
      },
      async personEmail() {
        const p = r.pick(await allPeople());
        const email = `s${seed}-renamed${r.int(1_000_000)}@x.example`;
        await personWrite([p.id], (tx) => tx.updateTable('people').set({ email }).where('id', '=', p.id).execute());
      },
      async personMove() {
        const p = r.pick(await allPeople());
        const teams = await teamIds();
        const to = r.pick(teams);
        await personWrite([p.id], async (tx) => {
          await tx.deleteFrom('team_members').where('person_id', '=', p.id).where('declared', '=', false).execute();
          await tx.insertInto('team_members').values({ team_id: to.id, person_id: p.id, declared: false }).onConflict((oc) => oc.doNothing()).execute();
        });
      },
      async groupMove() {
        // Several people in one transaction and one payload (a directory group changed).
        const people = r.some(await allPeople(), 0.3);
        const to = r.pick(await teamIds());
        if (people.length === 0) return;
        await personWrite(
          people.map((p) => p.id),
          (tx) =>
            tx
              .insertInto('team_members')
              .values(people.map((p) => ({ team_id: to.id, person_id: p.id, declared: false })))
              .onConflict((oc) => oc.doNothing())
              .execute(),
        );
      },
      async scimUpsert() {
        // A joiner, mover or leaver pushed by the directory: the real apply path (selectors, NOTIFY).
        const record = personRecordSchema.parse({
          email: r.pick(directory),
          displayName: `D ${r.int(100)}`,
          department: r.pick(['Sales', 'Field', 'Legal']),
          jobLevel: r.next() < 0.1 ? null : r.int(8),
          active: r.next() < 0.85,
        });
        await applyPerson(db, { source: 'scim', match: 'email', record });
      },
      async scimDelete() {
        const people = await db.selectFrom('people').select('id').where('email', 'in', directory).where('deleted_at', 'is', null).execute();
        if (people.length > 0) await db.transaction().execute((tx) => removePersonIn(tx, r.pick(people).id));
      },
      async teamChange() {
        const t = r.pick([...teamSpecs.values()]);
        const choice = r.int(4);
        if (choice === 0) t.costCenter = `CC-${r.int(1000)}`;
        if (choice === 1) t.members = t.members.filter(() => r.next() < 0.7);
        if (choice === 2) t.members = [...t.members.filter((m) => m.email !== emails[0]), { email: r.pick(emails), jobLevel: r.int(9) }].filter((m, i, all) => all.findIndex((x) => x.email === m.email) === i);
        if (choice === 3) t.members = t.members.map((m) => ({ ...m, jobLevel: r.int(9) }));
        await applyTeamSpec(t);
      },
      async teamBots() {
        // Service accounts declared, changed or removed (a removed one's keys are revoked).
        const t = r.pick([...teamSpecs.values()]);
        t.bots = bots();
        await applyTeamSpec(t);
      },
      async serviceKey() {
        const accounts = await db
          .selectFrom('service_accounts')
          .innerJoin('teams', 'teams.id', 'service_accounts.team_id')
          .select(['teams.namespace', 'teams.name as team', 'service_accounts.name'])
          .where('service_accounts.active', '=', true)
          .where('teams.active', '=', true)
          .where('teams.namespace', 'in', [ns, otherNs])
          .execute();
        if (accounts.length > 0) {
          const a = r.pick(accounts);
          await createServiceKey(db, `${a.namespace}/${a.team}/${a.name}`);
        }
      },
      async revokeServiceKey() {
        const keys = await db.selectFrom('api_keys').select('id').where('revoked_at', 'is', null).where('service_account_id', 'is not', null).execute();
        if (keys.length > 0) await revokeApiKeys(db, { id: r.pick(keys).id });
      },
      async teamToggle() {
        const t = r.pick([...teamSpecs.values()]);
        const row = await db.selectFrom('teams').select('active').where('namespace', '=', t.ns).where('name', '=', t.name).executeTakeFirstOrThrow();
        if (row.active) await deactivateResource(db, 'Team', t.ns, t.name);
        else await applyTeamSpec(t);
      },
      async budgetChange() {
        await applyBudget(db, budget(r.pick([ns, otherNs]), `b${r.int(6)}`));
      },
      async budgetDelete() {
        await deactivateResource(db, 'Budget', r.pick([ns, otherNs]), `b${r.int(6)}`);
      },
      async policyChange() {
        await applyModelPolicy(db, policy(r.pick([ns, otherNs]), `m${r.int(5)}`));
      },
      async policyDelete() {
        await deactivateResource(db, 'ModelPolicy', r.pick([ns, otherNs]), `m${r.int(5)}`);
      },
    };
    const names = Object.keys(operations);

    let tick = 0;
    const settle = async () => {
      // Notifications arrive in commit order: once this one is applied, so is everything before it.
      tick++;
      await personWrite([sentinel.id], (tx) => tx.updateTable('people').set({ name: `tick-${tick}` }).where('id', '=', sentinel.id).execute());
      await waiter.until(() => store.current().byEmail.get(`sentinel${seed}@x.example`)?.name === `tick-${tick}`, 10_000);
    };

    const done: string[] = [];
    try {
      for (let step = 0; step < 40; step++) {
        // Sometimes a burst: changes that arrive together are applied as one batch.
        const burst = r.next() < 0.25 ? 2 + r.int(3) : 1;
        for (let i = 0; i < burst; i++) {
          const name = r.pick(names);
          done.push(name);
          await operations[name]!();
        }
        await settle();
        const snapshot = await loadPolicySnapshot(db);
        const expected = fingerprint(compilePolicy(snapshot));
        expect(fingerprint(store.current()), `seed ${seed} after ${done.join(', ')}`).toEqual(expected);
        expect(expected).toEqual(fingerprint(compilePolicyReference(snapshot)));
      }
    } finally {
      await store.close();
    }
    // Every update after the start was incremental: no change fell back to a rebuild.
    expect(updates[0]!.kind).toBe('full');
    expect(updates.slice(1).map((u) => u.kind)).not.toContain('full');
    expect(new Set(done).size).toBeGreaterThan(names.length / 2);
  });
});

describe('what a change touches', () => {
  it('a key change recompiles one person, a team change its members, a budget change the people it targets', async () => {
    const db = database.handle.db;
    const members = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@touch.example`, jobLevel: i % 5 }));
    await applyTeam(db, team('touch', 'big', 'CC-BIG', members('big', 30)));
    await applyTeam(db, team('touch', 'small', 'CC-SMALL', members('small', 3)));
    const waiter = updateWaiter();
    const updates: PolicyUpdate[] = [];
    const store = await startPolicyStore(database.handle, () => undefined, { onUpdate: (u) => (updates.push(u), waiter.notify()) });
    try {
      const next = async (write: () => Promise<unknown>) => {
        const before = updates.length;
        await write();
        await waiter.until(() => updates.length > before, 10_000);
        return updates.at(-1)!;
      };
      expect(await next(() => createApiKey(db, 'big0@touch.example'))).toMatchObject({ kind: 'incremental', people: 1 });
      expect(await next(() => applyTeam(db, team('touch', 'small', 'CC-SMALL-2', members('small', 3))))).toMatchObject({ kind: 'incremental', people: 3 });
      const budget = budgetSchema.parse({
        apiVersion: 'stipend.dev/v1alpha1',
        kind: 'Budget',
        metadata: { namespace: 'touch', name: 'seniors' },
        spec: { target: { teams: ['small'], jobLevels: { min: 2 } }, scope: 'PerMember', amount: '10.00', period: 'Monthly' },
      });
      expect(await next(() => applyBudget(db, budget))).toMatchObject({ kind: 'incremental', people: 3 });
      expect(store.current().byEmail.get('small2@touch.example')!.budgets.map((b) => b.budget)).toEqual(['touch/seniors']);
      expect(store.current().byEmail.get('small1@touch.example')!.budgets).toEqual([]);
      expect(store.current().byEmail.get('small2@touch.example')!.team).toEqual({ key: 'touch/small', costCenter: 'CC-SMALL-2' });
    } finally {
      await store.close();
    }
  });

  it('revoking one key stops that key only: the person’s other key and everyone else’s keep working', async () => {
    const db = database.handle.db;
    await applyTeam(db, team('rev', 'ops', 'CC-OPS', [{ email: 'one@rev.example' }, { email: 'two@rev.example' }]));
    const first = (await createApiKey(db, 'one@rev.example')).key;
    const second = (await createApiKey(db, 'one@rev.example')).key;
    const other = (await createApiKey(db, 'two@rev.example')).key;
    const waiter = updateWaiter();
    const store = await startPolicyStore(database.handle, () => undefined, { onUpdate: () => waiter.notify() });
    try {
      const has = (key: string) => store.current().byKeyHash.has(hashApiKey(key));
      expect([has(first), has(second), has(other)]).toEqual([true, true, true]);
      await revokeApiKeys(db, { key: first });
      await waiter.until(() => !has(first), 10_000);
      expect([has(first), has(second), has(other)]).toEqual([false, true, true]);
      expect(store.current().byKeyHash.get(hashApiKey(second))!.email).toBe('one@rev.example');
    } finally {
      await store.close();
    }
  });
});
