// `npm run bench:hris`: `stipend hris sync bamboohr` for a company of N employees (5,000 by
// default; --employees=N) against the BambooHR stand-in on loopback, as the runtime role.
// Runs: the first sync (N joiners), a second (no change), one with 50 movers, and a dry run
// of it. Each is split into the pull (HTTP, JSON, validation and mapping: the floor any
// sync pays) and the apply (one transaction through the shared people path).
import { connectPostgres } from '../src/db/connect-postgres.ts';
import { realRetryIo } from '../src/identity/hris/bamboohr/bamboohr-client.ts';
import { pullBambooHr, type BambooHrSettings } from '../src/identity/hris/bamboohr/bamboohr-sync.ts';
import { syncPeople, type SyncOutcome } from '../src/identity/hris/sync-people.ts';
import { generateEmployees } from '../src/mock-provider/bamboohr/bamboohr-employees.ts';
import { startBambooHrStandIn, TEST_BAMBOOHR_API_KEY } from '../src/mock-provider/bamboohr/bamboohr-stand-in.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import { createTestDatabase } from '../test/support/test-database.ts';

const N = Number(process.argv.find((a) => a.startsWith('--employees='))?.slice('--employees='.length) ?? 5000);
const MOVERS = 50;

const database = await createTestDatabase();
await syncResources(database.handle.db, await loadResourceFolder(new URL('../examples', import.meta.url).pathname));
const employees = generateEmployees(N, { jobLevelFieldId: '4047' });
const standIn = await startBambooHrStandIn({ employees, customFields: [{ id: '4047', alias: 'customJobLevel', name: 'Job Level', type: 'list' }] });
const runtime = connectPostgres({ connectionString: database.runtimeUrl, maxConnections: 4, applicationName: 'stipend-bench-hris' });
const settings: BambooHrSettings = {
  source: 'report',
  connection: { baseUrl: standIn.url, companyDomain: standIn.companyDomain, apiKey: TEST_BAMBOOHR_API_KEY, timeoutMs: 60_000, maxAttempts: 1, maxRetryAfterMs: 0 },
  plan: { jobLevel: { from: '4047' } },
};

interface Row {
  readonly run: string;
  readonly pullMs: number;
  readonly applyMs: number;
  readonly totalMs: number;
  readonly counts: string;
}

const count = (o: SyncOutcome) => {
  const by = new Map<string, number>();
  for (const c of o.changes) by.set(c.kind, (by.get(c.kind) ?? 0) + 1);
  return [...[...by].map(([k, n]) => `${n} ${k}`), `${o.unchanged} unchanged`].join(', ');
};

async function run(name: string, dryRun = false): Promise<Row> {
  const t0 = performance.now();
  const pull = await pullBambooHr(settings, realRetryIo);
  const t1 = performance.now();
  const outcome = await syncPeople(runtime.db, pull, { dryRun, maxLeavers: { percent: 20 }, hrisName: 'BambooHR' });
  const t2 = performance.now();
  return { run: name, pullMs: Math.round(t1 - t0), applyMs: Math.round(t2 - t1), totalMs: Math.round(t2 - t0), counts: count(outcome) };
}

const rows: Row[] = [];
rows.push(await run(`first sync (${N} joiners)`));
rows.push(await run('second sync (no change)'));
// 50 movers: half change department, half change job level.
for (let i = 0; i < MOVERS; i++) {
  const e = employees[i * Math.floor(N / MOVERS)]!;
  standIn.update(e.id, i % 2 === 0 ? { department: e.department === 'Engineering' ? 'Product' : 'Engineering' } : { custom: { '4047': 'L7' } });
}
rows.push(await run(`dry run (${MOVERS} movers)`, true));
rows.push(await run(`${MOVERS} movers`));
rows.push(await run('again (no change)'));

const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
process.stdout.write(`BambooHR sync, ${N} employees, stand-in on loopback, Postgres ${database.url.split('@')[1]?.split('/')[0]} (runtime role); rss ${rss} MiB\n`);
process.stdout.write(`${'run'.padEnd(28)} ${'pull ms'.padStart(8)} ${'apply ms'.padStart(9)} ${'total ms'.padStart(9)}  changes\n`);
for (const r of rows) process.stdout.write(`${r.run.padEnd(28)} ${String(r.pullMs).padStart(8)} ${String(r.applyMs).padStart(9)} ${String(r.totalMs).padStart(9)}  ${r.counts}\n`);

await runtime.close();
await standIn.close();
await database.drop();
