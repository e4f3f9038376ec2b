// Changes that arrive while the policy is being rebuilt or updated, and updates that fail:
// none is lost, and requests meanwhile keep a complete policy. Real Postgres, real NOTIFY.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL } from '../src/db/db-handle.ts';
import { hashApiKey } from '../src/keys/api-key.ts';
import { createApiKey, revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { applyTeam } from '../src/policy/apply-team.ts';
import { compilePolicy } from '../src/policy/compile-policy.ts';
import { startLivePolicy, type LivePolicy, type LivePolicyOptions, type PolicyUpdate } from '../src/policy/live-policy.ts';
import { notifyChange } from '../src/policy/notify-change.ts';
import { budgetChanged, fullChange, keysChanged, parseChange } from '../src/policy/policy-change.ts';
import { loadPolicySnapshot } from '../src/policy/policy-snapshot.repository.ts';
import { teamSchema } from '../src/policy/resource.schema.ts';
import { fingerprint } from './support/policy-fingerprint.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { updateWaiter } from './support/update-waiter.ts';

const team = (name: string, costCenter: string, members: readonly string[]) =>
  teamSchema.parse({
    apiVersion: 'stipend.dev/v1alpha1',
    kind: 'Team',
    metadata: { namespace: 'race', name },
    spec: { costCenter, members: members.map((email, i) => ({ email, jobLevel: i % 7 })) },
  });

let database: TestDatabase;
const keys: Record<string, string> = {};
beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.handle.db;
  const people = (prefix: string) => Array.from({ length: 12 }, (_, i) => `${prefix}${i}@race.example`);
  await applyTeam(db, team('red', 'CC-RED', people('red')));
  await applyTeam(db, team('blue', 'CC-BLUE', people('blue')));
  for (const email of [...people('red'), ...people('blue')]) keys[email] = (await createApiKey(db, email)).key;
});
afterAll(async () => {
  await database.drop();
});

/** A live policy wired to the changes channel as the gateway wires it, with a hook at its next slice boundary. */
async function startLive(options: LivePolicyOptions = {}) {
  let hook: (() => Promise<void>) | null = null;
  const updates: PolicyUpdate[] = [];
  const errors: unknown[] = [];
  const waiter = updateWaiter();
  let live!: LivePolicy;
  live = await startLivePolicy(database.handle.db, {
    sliceMs: 0, // yield after every row and person: many slice boundaries to change things at
    ...options,
    onUpdate: (u) => {
      updates.push(u);
      waiter.notify();
    },
    onError: (e) => {
      errors.push(e);
      waiter.notify();
    },
    yieldToLoop: async () => {
      const run = hook;
      hook = null;
      if (run) await run();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  });
  const unlisten = await database.handle.listen(CHANGES_CHANNEL, (payload) => live.push(parseChange(payload) ?? fullChange));
  return {
    live,
    updates,
    errors,
    waiter,
    /** Runs `fn` at the next slice boundary, i.e. in the middle of the next update. */
    atNextSlice(fn: () => Promise<void>) {
      hook = fn;
      return () => hook === null;
    },
    async close() {
      await unlisten();
      await live.close();
    },
  };
}

/** Until the live policy has queued `n` changes (their notifications arrived): an external event, with a deadline. */
async function queued(live: LivePolicy, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (live.pending() < n) {
    if (Date.now() > deadline) throw new Error(`${n} change(s) never arrived`);
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
}

async function expectEqualsFullCompile(live: LivePolicy): Promise<void> {
  expect(fingerprint(live.current())).toEqual(fingerprint(compilePolicy(await loadPolicySnapshot(database.handle.db))));
}

const has = (live: LivePolicy, email: string) => live.current().byKeyHash.has(hashApiKey(keys[email]!));

describe('changes during an update are not lost', () => {
  it('a revocation committed while a full rebuild runs is applied right after it; requests keep the whole old policy meanwhile', async () => {
    const t = await startLive();
    try {
      const before = t.live.current();
      const sizeBefore = before.byKeyHash.size;
      let seenDuringRebuild: { same: boolean; size: number; red0: boolean } | null = null;
      const ran = t.atNextSlice(async () => {
        // The rebuild has read its snapshot already: this revocation is not in it.
        await revokeApiKeys(database.handle.db, { key: keys['red0@race.example']! });
        await queued(t.live, 1);
        seenDuringRebuild = { same: t.live.current() === before, size: t.live.current().byKeyHash.size, red0: has(t.live, 'red0@race.example') };
      });
      await t.live.rebuild();
      expect(ran()).toBe(true);
      expect(seenDuringRebuild).toEqual({ same: true, size: sizeBefore, red0: true });
      await t.waiter.until(() => !has(t.live, 'red0@race.example'), 10_000);
      expect(t.updates.at(-2)!.kind).toBe('full');
      expect(t.updates.at(-1)).toMatchObject({ kind: 'incremental', people: 1 });
      expect(has(t.live, 'red1@race.example')).toBe(true);
      await expectEqualsFullCompile(t.live);
    } finally {
      await t.close();
    }
  });

  it('changes committed while an incremental update runs are applied after it, in order', async () => {
    const t = await startLive();
    try {
      const ran = t.atNextSlice(async () => {
        // Mid-way through recompiling the red team: a blue key is revoked and a red person gets a new key.
        await revokeApiKeys(database.handle.db, { key: keys['blue3@race.example']! });
        keys['red5-second'] = (await createApiKey(database.handle.db, 'red5@race.example')).key;
        await queued(t.live, 2);
      });
      const n = t.updates.length;
      await applyTeam(database.handle.db, team('red', 'CC-RED-2', Array.from({ length: 12 }, (_, i) => `red${i}@race.example`)));
      await t.waiter.until(() => !has(t.live, 'blue3@race.example') && t.live.current().byKeyHash.has(hashApiKey(keys['red5-second']!)), 10_000);
      expect(ran()).toBe(true);
      expect(t.updates.slice(n).map((u) => u.kind)).toEqual(['incremental', 'incremental']);
      expect(t.updates[n]!.people).toBe(12); // the team's members
      expect(t.updates[n + 1]).toMatchObject({ changes: 2, people: 2 }); // both late changes, one batch
      expect(t.live.current().byEmail.get('red0@race.example')!.team).toEqual({ key: 'race/red', costCenter: 'CC-RED-2' });
      await expectEqualsFullCompile(t.live);
    } finally {
      await t.close();
    }
  });

  it('an update that fails (a query error) keeps its changes and applies them once the database answers again', async () => {
    const t = await startLive({ retryMs: 20 });
    const db = database.handle.db;
    const blue7 = await db.selectFrom('people').select('id').where('email', '=', 'blue7@race.example').executeTakeFirstOrThrow();
    try {
      await sql`alter table api_keys rename to api_keys_away`.execute(db);
      try {
        // The revocation itself commits (written to the renamed table); the replica cannot read keys now.
        await sql`update api_keys_away set revoked_at = now() where key_hash = ${hashApiKey(keys['blue7@race.example']!)}`.execute(db);
        await notifyChange(db, keysChanged([blue7.id]));
        await t.waiter.until(() => t.errors.length > 0, 10_000);
        expect(String(t.errors[0])).toContain('api_keys');
        expect(has(t.live, 'blue7@race.example')).toBe(true); // the previous policy stays in service
      } finally {
        await sql`alter table api_keys_away rename to api_keys`.execute(db);
      }
      await t.waiter.until(() => !has(t.live, 'blue7@race.example'), 10_000);
      expect(t.updates.at(-1)).toMatchObject({ kind: 'incremental', people: 1 });
      await expectEqualsFullCompile(t.live);
    } finally {
      await t.close();
    }
  });

  it('a row that cannot be compiled keeps the previous policy in service, and once fixed the replica rebuilds', async () => {
    const db = database.handle.db;
    const budget = await db
      .insertInto('budgets')
      .values({ namespace: 'race', name: 'red-cap', target: JSON.stringify({ teams: ['red'] }), scope: 'Shared', amount_nanos: 5_000_000_000n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard', alert_thresholds: [80, 100] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const t = await startLive({ retryMs: 20 });
    try {
      const redCap = () => t.live.current().byEmail.get('red2@race.example')!.budgets.map((b) => b.budget);
      expect(redCap()).toEqual(['race/red-cap']);
      // Written around every validation (by hand, or by a broken writer): a target that is not a target.
      const setTarget = (target: unknown) =>
        db.transaction().execute(async (tx) => {
          await tx.updateTable('budgets').set({ target: JSON.stringify(target) }).where('id', '=', budget.id).execute();
          await notifyChange(tx, budgetChanged(budget.id));
        });
      const before = t.live.current();
      await setTarget({ teams: 'red' });
      await t.waiter.until(() => t.errors.length >= 2, 10_000); // the incremental update, then the rebuild it fell back to
      expect(t.live.current()).toBe(before);
      expect(redCap()).toEqual(['race/red-cap']);
      expect(has(t.live, 'red2@race.example')).toBe(true);

      await setTarget({ teams: ['blue'] });
      await t.waiter.until(() => t.live.current().byEmail.get('blue2@race.example')!.budgets.some((b) => b.budget === 'race/red-cap'), 10_000);
      expect(redCap()).toEqual([]);
      expect(t.updates.some((u) => u.kind === 'full' && u.changes > 0)).toBe(true);
      await expectEqualsFullCompile(t.live);
    } finally {
      await t.close();
      await db.updateTable('budgets').set({ active: false }).where('id', '=', budget.id).execute();
    }
  });
});
