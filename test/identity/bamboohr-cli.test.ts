// `stipend hris sync bamboohr` as the CronJob runs it: configuration from the environment
// (a bad value is one line, exit 2), API failures one line and exit 1 with nothing changed,
// the dry run's and a run's output, the directory as the source, the leaver guard.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupCommand } from '../../src/cli/command.ts';
import { STIPEND } from '../../src/cli/commands/index.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import type { StandInEmployee } from '../../src/mock-provider/bamboohr/bamboohr-employees.ts';
import { startBambooHrStandIn, TEST_BAMBOOHR_API_KEY, type BambooHrServer } from '../../src/mock-provider/bamboohr/bamboohr-stand-in.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { personOf } from './support/bamboohr.ts';
import { directorySnapshot } from './support/snapshot.ts';

const EMPLOYEES: readonly StandInEmployee[] = [
  { id: 1, firstName: 'Grace', lastName: 'Hopper', workEmail: 'grace.h@acme.example', department: 'Engineering', jobTitle: 'Staff Engineer', custom: { '4047': 'L6' } },
  { id: 2, firstName: 'Edsger', lastName: 'Dijkstra', workEmail: 'edsger@acme.example', department: 'Engineering', jobTitle: 'Engineer', custom: { '4047': 'L2' } },
  { id: 3, firstName: 'Frances', lastName: 'Allen', workEmail: 'frances@acme.example', department: 'Product', jobTitle: 'Product Manager', status: 'Inactive', custom: { '4047': 'L5' } },
];

let t: TestDatabase;
let standIn: BambooHrServer;
let dir: string;
const program = { version: '0.0.0-test', root: STIPEND as GroupCommand };

beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  standIn = await startBambooHrStandIn({ employees: EMPLOYEES, customFields: [{ id: '4047', alias: 'customJobLevel', name: 'Job Level', type: 'list' }] });
  dir = mkdtempSync(join(tmpdir(), 'stipend-bamboohr-'));
});
afterAll(async () => {
  await standIn?.close();
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const baseEnv = () => ({
  STIPEND_DATABASE_URL: t.runtimeUrl,
  STIPEND_BAMBOOHR_SUBDOMAIN: 'acme',
  STIPEND_BAMBOOHR_API_KEY: TEST_BAMBOOHR_API_KEY,
  STIPEND_BAMBOOHR_BASE_URL: standIn.url,
  STIPEND_BAMBOOHR_JOB_LEVEL_FIELD: 'customJobLevel',
  STIPEND_BAMBOOHR_MAX_ATTEMPTS: '1',
});

async function cli(args: readonly string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(program, ['hris', 'sync', 'bamboohr', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { ...baseEnv(), ...env },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

describe('stipend hris sync bamboohr', () => {
  it('--dry-run prints the joiners, one line each, and the counts; nothing is written', async () => {
    const before = await directorySnapshot(t.handle.db);
    const r = await cli(['--dry-run']);
    expect(r).toEqual({
      code: 0,
      stdout: 'joiner  edsger@acme.example  teams: acme/engineering  level: 2\njoiner  grace.h@acme.example  teams: acme/engineering  level: 6\nBambooHR acme (dry run, nothing changed): 2 joiners, 0 movers, 0 leavers, 0 updated, 0 unchanged, 0 skipped\n',
      stderr: '',
    });
    expect(await directorySnapshot(t.handle.db)).toBe(before);
  });

  it('runs, then a second run reports no change; the API key may come from a mounted file', async () => {
    expect((await cli([])).code).toBe(0);
    const keyFile = join(dir, 'api-key');
    writeFileSync(keyFile, `${TEST_BAMBOOHR_API_KEY}\n`);
    const again = await cli([], { STIPEND_BAMBOOHR_API_KEY: undefined, STIPEND_BAMBOOHR_API_KEY_FILE: keyFile });
    expect(again).toEqual({ code: 0, stdout: 'BambooHR acme: 0 joiners, 0 movers, 0 leavers, 0 updated, 2 unchanged, 0 skipped\n', stderr: '' });
  });

  it('API failures: one line on stderr, exit 1, nothing changed', async () => {
    standIn.update(2, { department: 'Product' });
    const before = await directorySnapshot(t.handle.db);
    expect(await cli([], { STIPEND_BAMBOOHR_API_KEY: 'not-the-key' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'stipend: BambooHR refused the API key (401 Invalid API key): check STIPEND_BAMBOOHR_API_KEY for company "acme"; nothing was changed\n',
    });
    standIn.inject({ kind: 'status', status: 503, retryAfter: '1' });
    expect(await cli([])).toEqual({ code: 1, stdout: '', stderr: 'stipend: BambooHR is rate limiting (503 Too many requests; retry later) and still was after 1 attempts; nothing was changed\n' });
    expect(await cli([], { STIPEND_BAMBOOHR_SUBDOMAIN: 'globex' })).toMatchObject({ code: 1, stderr: expect.stringMatching(/^stipend: BambooHR found no company "globex" \(404 Not found for the custom report\): check STIPEND_BAMBOOHR_SUBDOMAIN; nothing was changed\n$/) });
    expect(await cli([], { STIPEND_BAMBOOHR_API_KEY: undefined, STIPEND_BAMBOOHR_API_KEY_FILE: join(dir, 'missing') })).toEqual({ code: 1, stdout: '', stderr: `stipend: STIPEND_BAMBOOHR_API_KEY_FILE: cannot read ${join(dir, 'missing')} (ENOENT)\n` });
    expect(await directorySnapshot(t.handle.db)).toBe(before);
    standIn.update(2, { department: 'Engineering' });
  });

  it.each([
    [{ STIPEND_BAMBOOHR_SUBDOMAIN: undefined }, 'STIPEND_BAMBOOHR_SUBDOMAIN: is required (the acme of acme.bamboohr.com)'],
    [{ STIPEND_BAMBOOHR_SUBDOMAIN: 'acme.bamboohr.com' }, 'STIPEND_BAMBOOHR_SUBDOMAIN: give only the subdomain: acme for acme.bamboohr.com'],
    [{ STIPEND_BAMBOOHR_API_KEY: undefined }, 'STIPEND_BAMBOOHR_API_KEY: set exactly one of STIPEND_BAMBOOHR_API_KEY and STIPEND_BAMBOOHR_API_KEY_FILE'],
    [{ STIPEND_BAMBOOHR_API_KEY_FILE: '/run/key' }, 'STIPEND_BAMBOOHR_API_KEY: set exactly one of STIPEND_BAMBOOHR_API_KEY and STIPEND_BAMBOOHR_API_KEY_FILE'],
    [{ STIPEND_BAMBOOHR_BASE_URL: 'http://api.bamboohr.com' }, 'STIPEND_BAMBOOHR_BASE_URL: must be https (http only on loopback): the API key travels in every request'],
    [{ STIPEND_BAMBOOHR_JOB_LEVEL_FIELD: undefined, STIPEND_BAMBOOHR_JOB_LEVEL_MAP: '{"Engineer": 2}' }, 'STIPEND_BAMBOOHR_JOB_LEVEL_MAP: needs STIPEND_BAMBOOHR_JOB_LEVEL_FIELD (the field it maps)'],
    [{ STIPEND_BAMBOOHR_JOB_LEVEL_MAP: '{"Engineer": "two"}' }, 'STIPEND_BAMBOOHR_JOB_LEVEL_MAP: must map values to integer levels 0–1000, e.g. {"Staff Engineer": 6}'],
    [{ STIPEND_BAMBOOHR_JOB_LEVEL_MAP: 'Engineer=2' }, 'STIPEND_BAMBOOHR_JOB_LEVEL_MAP: must be a JSON object such as {"Staff Engineer": 6}'],
  ])('bad configuration %j: one line, exit 2', async (env, message) => {
    const r = await cli([], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`stipend: invalid configuration: ${message}\n`);
  });

  it('--max-leavers must be a count or a percentage', async () => {
    expect(await cli(['--max-leavers', '150%'])).toMatchObject({ code: 2, stderr: "stipend: hris sync bamboohr: --max-leavers must be a number of people or a percentage up to 100% (got '150%') (see 'stipend hris sync bamboohr --help')\n" });
  });

  it('--from directory: active employees only, directory fields only (a custom field is refused by name), off when the company turned it off', async () => {
    expect(await cli(['--from', 'directory', '--dry-run'])).toMatchObject({ code: 1, stderr: expect.stringContaining('the employee directory has no field "customJobLevel": the directory offers only its own fields (use the report, the default)') });
    const byTitle = { STIPEND_BAMBOOHR_JOB_LEVEL_FIELD: 'jobTitle', STIPEND_BAMBOOHR_JOB_LEVEL_MAP: '{"Staff Engineer": 6, "Engineer": 3}' };
    const r = await cli(['--from', 'directory'], byTitle);
    expect(r).toEqual({ code: 0, stdout: 'mover   edsger@acme.example  level: 2 → 3\nBambooHR acme: 0 joiners, 1 mover, 0 leavers, 1 updated, 0 unchanged, 0 skipped\n', stderr: '' }); // grace: the directory's fields kept, not the report's
    expect(await personOf(t.handle.db, 'edsger@acme.example')).toMatchObject({ job_level: 3, source_document: { bamboohr: expect.objectContaining({ photoUploaded: false }) } });
    standIn.setDirectoryEnabled(false);
    expect(await cli(['--from', 'directory'], byTitle)).toMatchObject({ code: 1, stderr: expect.stringContaining('BambooHR denied access to the employee directory (403 The employee directory is disabled for this company)') });
    standIn.setDirectoryEnabled(true);
  });

  it('more leavers than --max-leavers: the leavers are printed, nothing is changed, exit 1', async () => {
    standIn.update(1, { status: 'Inactive' });
    const before = await directorySnapshot(t.handle.db);
    const r = await cli(['--max-leavers', '0']);
    expect(r.code).toBe(1);
    // Back to the report: the level from the custom field again.
    expect(r.stdout).toBe('mover   edsger@acme.example  level: 3 → 2\nleaver  grace.h@acme.example  teams: acme/engineering  (status Inactive)\nBambooHR acme (stopped, nothing changed): 0 joiners, 1 mover, 1 leaver, 0 updated, 0 unchanged, 0 skipped\n');
    expect(r.stderr).toBe('stipend: 1 leavers is more than --max-leavers allows (0); nothing was changed. If BambooHR is right, run again with --max-leavers 1\n');
    expect(await directorySnapshot(t.handle.db)).toBe(before);
    expect((await cli(['--max-leavers', '1'])).code).toBe(0);
    expect(await personOf(t.handle.db, 'grace.h@acme.example')).toMatchObject({ active: false });
  });
});
