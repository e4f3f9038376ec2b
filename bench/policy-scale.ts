// `npm run bench:policy`: one change in a company of 50,000 people (500 teams, one key each),
// applied on a replica: the incremental policy store next to main's path (reload everything,
// compile everything at once: src/policy/compile-policy-reference.ts), measured in one run.
//   --people N (default 50000), --teams N (default people / 100), --repeat N (default 10),
//   --main-repeat N (default 1: main's path costs a full reload per change, tens of seconds here)
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { Pool } from 'undici';
import { CHANGES_CHANNEL } from '../src/db/db-handle.ts';
import { applyPerson } from '../src/identity/people/apply-person.ts';
import { personRecordSchema } from '../src/identity/people/person-record.schema.ts';
import { startPolicyStore } from '../src/gateway/policy-store.ts';
import { hashApiKey } from '../src/keys/api-key.ts';
import { revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { applyBudget } from '../src/policy/apply-budget.ts';
import { applyModelPolicy } from '../src/policy/apply-model-policy.ts';
import { applyTeam } from '../src/policy/apply-team.ts';
import { buildIndex } from '../src/policy/build-index.ts';
import { noSlicing, runToEnd } from '../src/policy/slicer.ts';
import { compilePolicyReference } from '../src/policy/compile-policy-reference.ts';
import type { PolicyUpdate } from '../src/policy/live-policy.ts';
import type { CompiledPolicy } from '../src/policy/person-policy.ts';
import { loadPolicySnapshot } from '../src/policy/policy-snapshot.repository.ts';
import type { BudgetResource, ModelPolicyResource } from '../src/policy/resource.schema.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { percentile } from './load.ts';
import { benchKey, department, seedCompany, teamPolicy, teamResource } from './policy-seed.ts';
import { startProcess, stopProcess } from './processes.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const PEOPLE = arg('--people', 50_000);
const TEAMS = arg('--teams', Math.max(4, Math.round(PEOPLE / 100)));
const REPEAT = arg('--repeat', 10);
const MAIN_REPEAT = arg('--main-repeat', 1);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:policy does)');

const out: string[] = [];
const log = (line = '') => {
  out.push(line);
  process.stdout.write(`${line}\n`);
};
const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 25));
const med = (xs: number[]) => percentile(xs, 50);
const max = (xs: number[]) => Math.max(...xs);

/** A promise for "the next time X happens": fire() resolves everyone waiting. */
function signal() {
  let waiting: (() => void)[] = [];
  return {
    next: () => new Promise<void>((resolve) => waiting.push(resolve)),
    fire() {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    },
  };
}

/** Runs `fn` with the event-loop delay monitor on; max = the longest the loop was blocked. */
async function blocking<T>(fn: () => Promise<T>): Promise<{ value: T; maxBlockMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const value = await fn();
  await tick(); // what the update left behind (a GC pause) shows up too
  h.disable();
  return { value, maxBlockMs: h.max / 1e6 };
}

const database = await createTestDatabase();
const db = database.handle.db;
try {
  const seedStart = performance.now();
  await seedCompany(db, PEOPLE, TEAMS);
  const counts = await sql<{ people: string; keys: string; budgets: string; policies: string; members: string }>`
    select (select count(*) from people) as people, (select count(*) from api_keys) as keys, (select count(*) from budgets) as budgets,
           (select count(*) from model_policies) as policies, (select count(*) from team_members) as members`.execute(db);
  const c = counts.rows[0]!;
  log(`Stipend policy benchmark (${new Date().toISOString()}): ${Number(c.people).toLocaleString('en-US')} people, ${TEAMS} teams, ${c.members} memberships, ${c.keys} keys, ${c.budgets} budgets, ${c.policies} model policies (seeded in ${ms((performance.now() - seedStart) / 1000)} s)`);
  const ids = (await db.selectFrom('people').select('id').orderBy('id').execute()).map((r) => r.id);
  let cursor = 0;
  const nextPerson = () => ids[(cursor = (cursor + 7919) % ids.length)]!; // spread over teams, never the same twice in a run
  let version = 0;

  // ---- the changes, through the real writers ----
  const changes: Record<string, () => Promise<{ check: (policy: CompiledPolicy) => boolean }>> = {
    'key revoke': async () => {
      const id = nextPerson();
      await revokeApiKeys(db, { key: benchKey(id) });
      return { check: (p) => !p.byKeyHash.has(hashApiKey(benchKey(id))) };
    },
    'person move': async () => {
      // A mover pushed by the directory (SCIM, HRIS), through the real apply path: new department,
      // memberships recomputed from every Team's selector, one NOTIFY.
      const id = nextPerson();
      const to = (version++ * 13) % TEAMS;
      const row = await db.selectFrom('people').select(['email', 'job_level']).where('id', '=', id).executeTakeFirstOrThrow();
      await applyPerson(db, { source: 'scim', match: { personId: id }, record: personRecordSchema.parse({ email: row.email, department: department(to), title: 'Engineer', jobLevel: row.job_level, active: true }) });
      return { check: (p) => p.byKeyHash.get(hashApiKey(benchKey(id)))?.team?.key === `corp/team-${String(to).padStart(3, '0')}` };
    },
    'team change': async () => {
      const i = (version++ * 17) % TEAMS;
      const costCenter = `CC-${i}-v${version}`;
      await applyTeam(db, teamResource(i, costCenter));
      return { check: (p) => p.byKeyHash.get(hashApiKey(benchKey(firstMember.get(i)!)))?.team?.costCenter === costCenter };
    },
    'budget change': async () => {
      const i = engineering(version++); // its tiered budgets
      const scale = 1 + (version % 5) / 10;
      const budget = teamPolicy(i, scale).find((r): r is BudgetResource => r.kind === 'Budget')!;
      await applyBudget(db, budget);
      const limit = BigInt(Math.round(3000 * scale)) * 1_000_000_000n;
      return {
        check: (p) => {
          const limits = [...principals(p, i)];
          return limits.length > 0 && limits.every((b) => b === limit);
        },
      };
    },
    'policy change': async () => {
      const i = engineering(version++);
      const policy = teamPolicy(i).find((r): r is ModelPolicyResource => r.kind === 'ModelPolicy')!;
      const deny = version % 2 === 0 ? ['openai/o1-pro*'] : ['openai/o1-pro*', 'google/gemini-2.5-pro'];
      await applyModelPolicy(db, { ...policy, spec: { ...policy.spec, deny } });
      return { check: () => true };
    },
  };
  const engineering = (n: number) => 4 * ((n * 7) % Math.floor(TEAMS / 4)); // teams 0, 4, 8… are engineering
  // One member per team, to check a team change by.
  const firstMember = new Map<number, bigint>();
  for (const row of await sql<{ team: string; person: bigint }>`select t.name as team, min(m.person_id) as person from team_members m join teams t on t.id = m.team_id group by t.name`.execute(db).then((r) => r.rows)) {
    firstMember.set(Number(row.team.slice(5)), BigInt(row.person));
  }
  const principals = function* (p: CompiledPolicy, team: number) {
    for (const person of p.byEmail.values()) {
      for (const b of person.budgets) if (b.budget === `corp/team-${String(team).padStart(3, '0')}-principal`) yield b.limitNanos;
    }
  };

  // ---- idle floor: what the event-loop monitor reports on this machine with nothing to do ----
  const idleMax: number[] = [];
  for (let i = 0; i < 10; i++) idleMax.push((await blocking(async () => tick())).maxBlockMs);

  // ---- memory and compile cost of a whole policy ----
  const snapshot = await loadPolicySnapshot(db);
  gc();
  let heap = process.memoryUsage().heapUsed;
  let t = performance.now();
  let reference: CompiledPolicy | null = compilePolicyReference(snapshot);
  const referenceCompileMs = performance.now() - t;
  gc();
  const referenceBytes = process.memoryUsage().heapUsed - heap;
  reference = null;
  gc();
  heap = process.memoryUsage().heapUsed;
  t = performance.now();
  let index: unknown = runToEnd(buildIndex(snapshot, noSlicing));
  const indexCompileMs = performance.now() - t;
  gc();
  const indexBytes = process.memoryUsage().heapUsed - heap;
  index = null;
  void reference;
  void index;
  gc();

  // ---- main's path: every change reloads and recompiles everything, synchronously ----
  let legacy: CompiledPolicy = compilePolicyReference(await loadPolicySnapshot(db));
  let legacyReloads = 0;
  const legacyReloaded = signal();
  let inFlight: Promise<void> | null = null;
  let again = false;
  const legacyReload = () => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = (async () => {
      do {
        again = false;
        legacy = compilePolicyReference(await loadPolicySnapshot(db));
        legacyReloads++;
      } while (again);
      inFlight = null;
      legacyReloaded.fire();
    })();
  };
  const unlistenLegacy = await database.handle.listen(CHANGES_CHANNEL, legacyReload);
  const mainRows: Record<string, { apply: number[]; block: number[] }> = {};
  for (const [name, change] of Object.entries(changes)) {
    mainRows[name] = { apply: [], block: [] };
    for (let i = 0; i < MAIN_REPEAT; i++) {
      const before = legacyReloads;
      const start = performance.now();
      const r = await blocking(async () => {
        const { check } = await change();
        while (legacyReloads === before || inFlight) await legacyReloaded.next();
        return { end: performance.now() - start, check };
      });
      if (!r.value.check(legacy)) throw new Error(`main's path: ${name} not applied`);
      mainRows[name].apply.push(r.value.end);
      mainRows[name].block.push(r.maxBlockMs);
    }
  }
  await unlistenLegacy();
  legacy = null as unknown as CompiledPolicy;
  gc();

  // ---- the incremental store (what the gateway runs) ----
  const updates: PolicyUpdate[] = [];
  const updated = signal();
  const storeStart = performance.now();
  const startBlock = { maxBlockMs: 0 };
  const store = await blocking(() => startPolicyStore(database.handle, () => undefined, {
      onUpdate: (u) => {
        updates.push(u);
        updated.fire();
      },
    })).then((r) => {
    startBlock.maxBlockMs = r.maxBlockMs;
    return r.value;
  });
  const storeStartMs = performance.now() - storeStart;
  const newRows: Record<string, { apply: number[]; endToEnd: number[]; block: number[]; people: number[] }> = {};
  for (const [name, change] of Object.entries(changes)) {
    newRows[name] = { apply: [], endToEnd: [], block: [], people: [] };
    for (let i = -1; i < REPEAT; i++) {
      const before = updates.length;
      const start = performance.now();
      const r = await blocking(async () => {
        const { check } = await change();
        while (updates.length === before) await updated.next();
        return { end: performance.now() - start, check };
      });
      if (!r.value.check(store.current())) throw new Error(`incremental: ${name} not applied`);
      const update = updates.at(-1)!;
      if (update.kind !== 'incremental') throw new Error(`${name} fell back to a ${update.kind} update`);
      if (i < 0) continue; // warm-up (JIT), not counted
      newRows[name].apply.push(update.ms);
      newRows[name].endToEnd.push(r.value.end);
      newRows[name].block.push(r.maxBlockMs);
      newRows[name].people.push(update.people);
    }
  }
  const rebuilds: { value: number; maxBlockMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    rebuilds.push(
      await blocking(async () => {
        const start = performance.now();
        await store.reload();
        return performance.now() - start;
      }),
    );
  }
  await store.close();

  // ---- revocation to 401 through a gateway process, with requests of others in flight ----
  const gatewayPort = String(20000 + Math.floor(Math.random() * 20000));
  const gwStart = performance.now();
  const gateway = await startProcess(
    ['src/cli/main.ts', 'gateway'],
    { STIPEND_DATABASE_URL: database.url, STIPEND_HOST: '127.0.0.1', STIPEND_PORT: gatewayPort, OPENAI_API_KEY: 'bench', LOG_LEVEL: 'info' },
    /gateway listening/,
  );
  const gwStartMs = performance.now() - gwStart;
  const pool = new Pool(`http://127.0.0.1:${gatewayPort}`, { connections: 16 });
  const status = async (key: string) => {
    const res = await pool.request({ method: 'GET', path: '/v1/models', headers: { authorization: `Bearer ${key}` } });
    await res.body.dump();
    return res.statusCode;
  };
  const revocations: number[] = [];
  const bystanderMax: number[] = [];
  for (let i = 0; i < Math.min(REPEAT, 10); i++) {
    const victim = nextPerson();
    const bystander = nextPerson();
    if ((await status(benchKey(victim))) !== 200) throw new Error('victim key does not work before revocation');
    let stop = false;
    let worst = 0;
    const others = (async () => {
      while (!stop) {
        const s = performance.now();
        if ((await status(benchKey(bystander))) !== 200) throw new Error('a bystander key stopped working');
        worst = Math.max(worst, performance.now() - s);
      }
    })();
    const start = performance.now();
    await revokeApiKeys(db, { key: benchKey(victim) });
    while ((await status(benchKey(victim))) === 200) {
      if (performance.now() - start > 10_000) throw new Error('revocation never reached the gateway');
    }
    revocations.push(performance.now() - start);
    stop = true;
    await others;
    bystanderMax.push(worst);
  }
  await pool.close();
  await stopProcess(gateway.child);

  // ---- report ----
  const per10k = (bytes: number) => mb((bytes * 10_000) / PEOPLE);
  log();
  log(`Event-loop monitor floor on this machine (idle windows, resolution 1 ms): max p50 ${ms(med(idleMax))} ms, worst ${ms(max(idleMax))} ms`);
  log();
  log(`One change applied on a replica (${REPEAT}× each; main's path ${MAIN_REPEAT}×). "apply" = notification to updated policy; "e2e" = writer called to policy updated; "block" = max event-loop delay meanwhile.`);
  log('  change          | incremental: apply p50/max   e2e p50   block p50/max   people | main: e2e          block');
  for (const name of Object.keys(changes)) {
    const n = newRows[name]!;
    const m = mainRows[name]!;
    log(
      `  ${name.padEnd(15)} | ${`${ms(med(n.apply))} / ${ms(max(n.apply))} ms`.padEnd(24)} ${`${ms(med(n.endToEnd))} ms`.padEnd(9)} ${`${ms(med(n.block))} / ${ms(max(n.block))} ms`.padEnd(15)} ${String(max(n.people)).padStart(6)} | ${`${ms(med(m.apply))} ms`.padEnd(14)} ${ms(med(m.block))} ms`,
    );
  }
  log();
  log(`Revocation to 401 through a gateway process (GET /v1/models, ${revocations.length}×): p50 ${ms(med(revocations))} ms, max ${ms(max(revocations))} ms (revoke transaction included)`);
  log(`  another person's requests meanwhile: slowest ${ms(max(bystanderMax))} ms; main's path holds every request for its whole reload (e2e above)`);
  log();
  log(`Full rebuild (start-up, LISTEN reconnect, unknown payload), ${PEOPLE.toLocaleString('en-US')} people:`);
  log(`  incremental store, sliced (3×): ${rebuilds.map((r) => `${ms(r.value)} ms`).join(', ')}; event loop blocked at most ${rebuilds.map((r) => `${ms(r.maxBlockMs)} ms`).join(', ')}`);
  log(`  (start-up ${ms(storeStartMs)} ms, max block ${ms(startBlock.maxBlockMs)} ms; gateway process ready in ${ms(gwStartMs)} ms)`);
  log(`  main's path: the reload above, every change`);
  log(`  compile only, at once: indexed ${ms(indexCompileMs)} ms, main's ${ms(referenceCompileMs)} ms`);
  log();
  log(`Memory (heap after GC) of the compiled policy: incremental (index + published) ${mb(indexBytes)} = ${per10k(indexBytes)} per 10,000 people; main's ${mb(referenceBytes)} = ${per10k(referenceBytes)} per 10,000 people`);
} finally {
  await database.drop();
}
