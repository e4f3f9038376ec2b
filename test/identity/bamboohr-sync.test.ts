// BambooHR pull against the stand-in, applied by the shared people path, seen at a real
// gateway with the official OpenAI SDK: joiners land in their tier, movers change tier and
// team, leavers (Inactive, terminated, gone) get 401, a dry run and a second run change
// nothing and notify nobody, and every API failure changes nothing.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { BambooHrError } from '../../src/identity/hris/bamboohr/bamboohr-client.ts';
import { syncBambooHr, type BambooHrSettings } from '../../src/identity/hris/bamboohr/bamboohr-sync.ts';
import type { SyncOutcome } from '../../src/identity/hris/sync-people.ts';
import { renderSync } from '../../src/identity/hris/sync-report.ts';
import { applyPerson } from '../../src/identity/people/apply-person.ts';
import { personRecordSchema } from '../../src/identity/people/person-record.schema.ts';
import { hashApiKey } from '../../src/keys/api-key.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import type { StandInEmployee } from '../../src/mock-provider/bamboohr/bamboohr-employees.ts';
import { startBambooHrStandIn, type BambooHrServer } from '../../src/mock-provider/bamboohr/bamboohr-stand-in.ts';
import { startHarness, type Harness } from '../support/gateway-harness.ts';
import { waitForLedgerRow } from '../support/ledger-queries.ts';
import { notificationsDuring } from '../support/notifications.ts';
import { fakeIo, personOf, standInSettings } from './support/bamboohr.ts';
import { directorySnapshot } from './support/snapshot.ts';

const EMPLOYEES: readonly StandInEmployee[] = [
  { id: 101, firstName: 'Hedwig', preferredName: 'Hedy', lastName: 'Lamarr', workEmail: 'hedy@acme.example', department: 'Engineering', division: 'R&D', jobTitle: 'Principal Engineer', location: 'Vienna', employmentHistoryStatus: 'Full-Time', employeeNumber: 'E-101', custom: { '4047': 'L6' } },
  { id: 102, firstName: 'Linus', lastName: 'Torvalds', workEmail: 'linus@acme.example', department: 'Engineering', jobTitle: 'Senior Engineer', supervisorEId: 101, custom: { '4047': 'L4' } },
  { id: 103, firstName: 'Barbara', lastName: 'Liskov', workEmail: 'barbara@acme.example', department: 'Product', jobTitle: 'Product Manager', custom: { '4047': 'L5' } },
  { id: 104, firstName: 'Ken', lastName: 'Thompson', workEmail: 'ken@acme.example', department: 'Support', custom: { '4047': 'L2' } },
  // Left years ago, never in Stipend: nothing to add.
  { id: 105, firstName: 'Old', lastName: 'Timer', workEmail: 'old@acme.example', department: 'Engineering', status: 'Inactive', terminationDate: '2019-05-31' },
  { id: 106, firstName: 'No', lastName: 'Email', workEmail: null, department: 'Engineering' },
  // Declared in the example Team YAML: adopted, same person.
  { id: 107, firstName: 'Ada', lastName: 'Lovelace', workEmail: 'Ada@Acme.example', department: 'Engineering', custom: { '4047': 'L6' } },
  // Provisioned by SCIM: the IdP owns them, the pull leaves them alone.
  { id: 108, firstName: 'Sid', lastName: 'Scim', workEmail: 'sid@acme.example', department: 'Support', custom: { '4047': 'L2' } },
  // Leaves on the 20th: still here today.
  { id: 109, firstName: 'Future', lastName: 'Leaver', workEmail: 'future@acme.example', department: 'Design', terminationDate: '2026-03-20', custom: { '4047': 'L3' } },
];

let h: Harness;
let standIn: BambooHrServer;
let runtime: DbHandle;
let settings: BambooHrSettings;
const io = fakeIo('2026-03-02T09:00:00Z');
const keys: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  standIn = await startBambooHrStandIn({ employees: EMPLOYEES, customFields: [{ id: '4047', alias: 'customJobLevel', name: 'Job Level', type: 'list' }] });
  settings = standInSettings(standIn);
  // The sync connects as the runtime role, as the CronJob does: its grants suffice.
  runtime = connectPostgres({ connectionString: h.database.runtimeUrl, maxConnections: 4, applicationName: 'stipend-test-hris' });
  const scim = personRecordSchema.parse({ email: 'sid@acme.example', department: 'Engineering', jobLevel: 3, active: true });
  await applyPerson(h.database.handle.db, { source: 'scim', match: 'email', record: scim });
});
afterAll(async () => {
  await runtime?.close();
  await standIn?.close();
  await h?.close();
});

const db = () => h.database.handle.db;
const sync = (options: { readonly dryRun?: boolean; readonly maxLeavers?: { count: number } | { percent: number }; readonly settings?: BambooHrSettings } = {}) =>
  syncBambooHr(runtime.db, options.settings ?? settings, io, { dryRun: options.dryRun ?? false, maxLeavers: options.maxLeavers ?? { percent: 20 } });
const kinds = (o: SyncOutcome) => Object.fromEntries(o.changes.filter((c) => c.kind !== 'unchanged').map((c) => [c.email, c.kind]));
const compiled = (email: string) => h.gateway.policy.current().byKeyHash.get(hashApiKey(keys[email]!));
/** The gateway applies NOTIFYs asynchronously: wait (bounded, generous for a loaded machine) until its compiled policy shows the change. */
const until = async (what: string, condition: () => boolean) => {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gateway policy never showed: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const chat = (email: string, model = 'gpt-4o-mini') =>
  new OpenAI({ apiKey: keys[email]!, baseURL: `${h.url}/v1`, maxRetries: 0 }).chat.completions.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
const status = async (email: string, model?: string) => {
  const error = await chat(email, model).then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof OpenAI.APIError ? error.status : 200;
};
const budgetsOf = async (walletIds: readonly bigint[]) =>
  (await db().selectFrom('wallets').innerJoin('budgets', 'budgets.id', 'wallets.budget_id').select('budgets.name').where('wallets.id', 'in', [...walletIds]).orderBy('budgets.name').execute()).map((r) => r.name);

/** Runs `action`, expecting it to change nothing in the directory and notify no gateway. */
async function changesNothing(action: () => Promise<unknown>): Promise<void> {
  const before = await directorySnapshot(db());
  expect(await notificationsDuring(h.database.handle, action)).toEqual([]);
  expect(await directorySnapshot(db())).toBe(before);
}

describe('BambooHR sync', () => {
  it('dry run: prints the joiners and changes nothing', async () => {
    let outcome: SyncOutcome | undefined;
    await changesNothing(async () => (outcome = await sync({ dryRun: true })));
    const { stdout, stderr } = renderSync(outcome!, 'BambooHR acme');
    expect(stdout.split('\n')).toEqual([
      'joiner  barbara@acme.example  teams: acme/product  level: 5',
      'joiner  future@acme.example  teams: acme/design  level: 3',
      'joiner  hedy@acme.example  teams: acme/engineering  level: 6',
      'joiner  ken@acme.example  teams: acme/support  level: 2',
      'joiner  linus@acme.example  teams: acme/engineering  level: 4',
      'BambooHR acme (dry run, nothing changed): 5 joiners, 0 movers, 0 leavers, 1 updated, 0 unchanged, 2 skipped',
      '',
    ]);
    expect(stderr).toBe(
      'warning: skipped employee 106: no work email\n' + 'warning: skipped employee 108 (sid@acme.example): provisioned by SCIM (the identity provider owns this person)\n',
    );
  });

  it('first run: joiners in their team and tier (the first request books the principal tier); YAML people adopted; SCIM people untouched', async () => {
    let outcome: SyncOutcome | undefined;
    const heard = await notificationsDuring(h.database.handle, async () => (outcome = await sync()));
    expect(kinds(outcome!)).toEqual({
      'hedy@acme.example': 'joiner',
      'linus@acme.example': 'joiner',
      'barbara@acme.example': 'joiner',
      'ken@acme.example': 'joiner',
      'future@acme.example': 'joiner',
      'ada@acme.example': 'updated',
    });
    expect(heard).toHaveLength(6); // one per changed person
    expect(await personOf(db(), 'hedy@acme.example')).toMatchObject({
      active: true,
      source: 'hris',
      external_id: '101',
      department: 'Engineering',
      job_level: 6,
      title: 'Principal Engineer',
      employee_type: 'Full-Time',
      source_document: { bamboohr: expect.objectContaining({ id: '101', location: 'Vienna', terminationDate: '0000-00-00', '4047': 'L6' }) },
    });
    expect(await personOf(db(), 'linus@acme.example')).toMatchObject({ manager_ref: '101', manager_name: 'Lamarr, Hedy' });
    expect(await personOf(db(), 'ada@acme.example')).toMatchObject({ source: 'hris', external_id: '107', active: true });
    expect(await personOf(db(), 'sid@acme.example')).toMatchObject({ source: 'scim', department: 'Engineering', job_level: 3 });
    expect(await personOf(db(), 'old@acme.example')).toBeUndefined();

    for (const email of ['hedy@acme.example', 'linus@acme.example', 'barbara@acme.example', 'ken@acme.example']) keys[email] = (await createApiKey(db(), email)).key;
    await until('the joiners\' keys', () => compiled('ken@acme.example') !== undefined);
    expect(compiled('linus@acme.example')).toMatchObject({ jobLevel: 4, team: { key: 'acme/engineering' } });
    const { data, response } = await chat('hedy@acme.example', 'gemini-2.5-flash'); // the principal tier allows every provider
    expect(data.choices[0]?.message.content).toBeTruthy();
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ email: 'hedy@acme.example', team: 'acme/engineering', cost_center: 'CC-ENG-001', http_status: 200 });
    expect(await budgetsOf(row.wallet_ids)).toEqual(['eng-principal']);
  });

  it('second run: nothing changed, nothing written, no NOTIFY', async () => {
    let outcome: SyncOutcome | undefined;
    await changesNothing(async () => (outcome = await sync()));
    expect(kinds(outcome!)).toEqual({});
    expect(renderSync(outcome!, 'BambooHR acme').stdout).toBe('BambooHR acme: 0 joiners, 0 movers, 0 leavers, 0 updated, 6 unchanged, 2 skipped\n');
  });

  it('movers: a department change moves the team, a job level change the tier, from the next request', async () => {
    standIn.update(102, { department: 'Product' });
    standIn.update(101, { custom: { '4047': 'L4' } });
    const outcome = await sync();
    expect(kinds(outcome)).toEqual({ 'hedy@acme.example': 'mover', 'linus@acme.example': 'mover' });
    expect(renderSync(outcome, 'BambooHR acme').stdout).toContain('mover   hedy@acme.example  level: 6 → 4\nmover   linus@acme.example  teams: acme/engineering → acme/product\n');
    await until('hedy at level 4', () => compiled('hedy@acme.example')?.jobLevel === 4);
    await until('linus in product', () => compiled('linus@acme.example')?.team?.key === 'acme/product');
    expect(await status('hedy@acme.example', 'gemini-2.5-flash')).toBe(403); // the senior tier: OpenAI and Anthropic only
    const { response } = await chat('linus@acme.example');
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ team: 'acme/product', cost_center: 'CC-PROD-001' });
  });

  it('leavers: status Inactive, a termination date passed, gone from BambooHR → 401; other sources untouched', async () => {
    standIn.update(103, { status: 'Inactive', terminationDate: '2026-02-27' });
    standIn.update(104, { terminationDate: '2026-03-01' }); // still "Active": the date decides
    standIn.remove(102);
    const outcome = await sync();
    expect(kinds(outcome)).toEqual({ 'barbara@acme.example': 'leaver', 'ken@acme.example': 'leaver', 'linus@acme.example': 'leaver' });
    expect(renderSync(outcome, 'BambooHR acme').stdout.split('\n').slice(0, 3)).toEqual([
      'leaver  barbara@acme.example  teams: acme/product  (status Inactive)',
      'leaver  ken@acme.example  teams: acme/support  (terminated 2026-03-01)',
      'leaver  linus@acme.example  teams: acme/product  (not in BambooHR)',
    ]);
    await until('the leavers\' keys gone', () => ['barbara', 'ken', 'linus'].every((n) => compiled(`${n}@acme.example`) === undefined));
    for (const name of ['barbara', 'ken', 'linus']) expect(await status(`${name}@acme.example`)).toBe(401);
    expect(await status('hedy@acme.example')).toBe(200);
    // People from other sources: SCIM and YAML people BambooHR does not list stay as they were.
    expect(await personOf(db(), 'sid@acme.example')).toMatchObject({ active: true, source: 'scim' });
    expect(await personOf(db(), 'grace@acme.example')).toMatchObject({ active: true });
    // A termination date still to come keeps the person.
    expect(await personOf(db(), 'future@acme.example')).toMatchObject({ active: true });
  });

  it('a leaver rehired: a joiner again, with the keys they had (suspended, not revoked)', async () => {
    standIn.update(103, { status: 'Active', terminationDate: null });
    const outcome = await sync();
    expect(outcome.changes.find((c) => c.email === 'barbara@acme.example')).toMatchObject({ kind: 'joiner', reason: 'active again' });
    await until('barbara back', () => compiled('barbara@acme.example') !== undefined);
    expect(await status('barbara@acme.example')).toBe(200);
  });

  it('a changed work email is the same person (found by the BambooHR employee id): keys keep working', async () => {
    const before = await personOf(db(), 'hedy@acme.example');
    standIn.update(101, { workEmail: 'hedy.lamarr@acme.example' });
    const outcome = await sync();
    expect(kinds(outcome)).toEqual({ 'hedy.lamarr@acme.example': 'updated' });
    expect((await personOf(db(), 'hedy.lamarr@acme.example'))?.id).toBe(before?.id);
    await until('the new email', () => compiled('hedy@acme.example')?.email === 'hedy.lamarr@acme.example');
    expect(await status('hedy@acme.example')).toBe(200);
  });

  it('too many leavers at once (e.g. a key that suddenly sees fewer people): stopped, nothing changed', async () => {
    standIn.remove(109);
    let outcome: SyncOutcome | undefined;
    await changesNothing(async () => (outcome = await sync({ maxLeavers: { count: 0 } })));
    expect(outcome!.blocked).toMatch(/^1 leavers is more than --max-leavers allows \(0\); nothing was changed/);
    expect(kinds(outcome!)).toEqual({ 'future@acme.example': 'leaver' });
    standIn.setEmployees([...standIn.employees(), EMPLOYEES.find((e) => e.id === 109)!]);
  });
});

describe('BambooHR API failures change nothing', () => {
  const pending = () => standIn.update(104, { terminationDate: null, department: 'Design' }); // a change each failed run must not apply

  const fails = async (kind: string, message: RegExp, run: () => Promise<unknown> = () => sync()) => {
    let error: unknown;
    await changesNothing(async () => (error = await run().then(() => undefined, (e: unknown) => e)));
    expect(error).toBeInstanceOf(BambooHrError);
    expect((error as BambooHrError).kind).toBe(kind);
    expect((error as BambooHrError).message).toMatch(message);
    expect((error as BambooHrError).message).not.toContain(settings.connection.apiKey);
  };

  it('401: a wrong API key, one clear line, no retry', async () => {
    pending();
    const calls = standIn.calls.length;
    await fails('auth', /^BambooHR refused the API key \(401 Invalid API key\): check STIPEND_BAMBOOHR_API_KEY for company "acme"$/, () => sync({ settings: standInSettings(standIn, { apiKey: 'wrong-key' }) }));
    expect(standIn.calls.length).toBe(calls + 1);
  });

  it('429 with Retry-After, exhausted: fails after the last attempt, having waited as asked', async () => {
    io.slept.length = 0;
    standIn.inject({ kind: 'status', status: 429, retryAfter: '3' }, 4);
    await fails('throttled', /^BambooHR is rate limiting \(429 Too many requests; retry later\) and still was after 4 attempts$/);
    expect(io.slept).toEqual([3000, 3000, 3000]);
  });

  it('429 asking for longer than the run waits: fails at once', async () => {
    io.slept.length = 0;
    standIn.inject({ kind: 'status', status: 429, retryAfter: '7200' });
    await fails('throttled', /asks to retry in 7200 s, longer than the 60 s this run waits/);
    expect(io.slept).toEqual([]);
  });

  it('5xx: retried with backoff, then a clear failure', async () => {
    io.slept.length = 0;
    standIn.inject({ kind: 'status', status: 500 }, 4);
    await fails('unavailable', /^BambooHR failed to answer for the custom report \(500 An internal error occurred\) after 4 attempts$/);
    expect(io.slept).toEqual([1000, 2000, 4000]);
  });

  it('malformed answers: not JSON, not a report, a field it left out', async () => {
    standIn.inject({ kind: 'malformed', body: 'truncated' });
    await fails('malformed', /^BambooHR's answer for the custom report is not valid JSON \(application\/json; charset=utf-8, \d+ bytes: /);
    standIn.inject({ kind: 'malformed', body: 'html' });
    await fails('malformed', /is not valid JSON \(text\/html/);
    standIn.inject({ kind: 'malformed', body: 'not-a-report' });
    await fails('malformed', /is not what its API documents: fields: /);
    const typo = { ...settings, plan: { jobLevel: { from: 'customJobLevl' } } };
    await fails('malformed', /the custom report has no field "customJobLevl": unknown to BambooHR, or hidden from the API key's user/, () => sync({ settings: typo }));
  });

  it('429 then success, 503 then success, a slow answer then success: the run goes through', async () => {
    io.slept.length = 0;
    standIn.inject({ kind: 'status', status: 429, retryAfter: '2' });
    standIn.inject({ kind: 'status', status: 503, retryAfter: 'Mon, 02 Mar 2026 09:00:05 GMT' });
    // The slow answer outlasts the run's patience by far; the patience itself is generous, so the
    // answers that are not slow never time out on a loaded machine.
    standIn.inject({ kind: 'slow', delayMs: 120_000 });
    io.set('2026-03-02T09:00:00Z');
    const outcome = await sync({ settings: standInSettings(standIn, { timeoutMs: 3_000 }) });
    expect(io.slept).toEqual([2000, 3000, 4000]); // as asked, the rest of the date's wait, then backoff after the timeout
    expect(standIn.pendingFaults()).toBe(0);
    expect(kinds(outcome)).toEqual({ 'ken@acme.example': 'joiner' }); // the change every failed run left alone
    expect(await personOf(db(), 'ken@acme.example')).toMatchObject({ active: true, department: 'Design' });
  });
});
