// The finance commands as a CronJob runs them: real processes, real Postgres, real SMTP.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';
import { startSmtp } from './support/receivers.ts';

const run = promisify(execFile);
const RUNNER = new URL('./support/run-command.ts', import.meta.url).pathname;
let t: TestDatabase;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

async function stipend(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [RUNNER, ...args], {
      // The CronJobs' role: reports and alerts need no more than the runtime grants.
      env: { PATH: process.env.PATH ?? '', STIPEND_DATABASE_URL: t.runtimeUrl, LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  smtp = await startSmtp();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  await charge(t.handle.db, 'margaret@acme.example', ['acme/product'], 1_234_567_890_123n, { at: new Date('2026-03-05T10:00:00Z'), team: 'acme/product' });
  await charge(t.handle.db, 'sam@acme.example', ['acme/support'], 190_000_000_000n, { team: 'acme/support' }); // now: 95 % → alert
});
afterAll(async () => {
  await smtp?.close();
  await t?.drop();
});

describe('stipend report / alerts', () => {
  it('exports a month to stdout', async () => {
    const { code, stdout } = await stipend(['report', 'export', '--month', '2026-03', '--format', 'workday'], { STIPEND_WORKDAY_COMPANY: 'ACME_US' });
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(stdout);
    expect(header).toContain('LedgerAccountReferenceID');
    expect(rows.map((r) => r[1])).toEqual(['ACME_US', 'ACME_US']);
    expect(rows.map((r) => [r[9], r[10]])).toEqual([['1234.57', '0.00'], ['0.00', '1234.57']]);
  });

  it('prints a spend report and refuses bad arguments with a usage error', async () => {
    const ok = await stipend(['report', 'spend', '--from', '2026-03-01', '--to', '2026-03-31', '--group-by', 'cost_center']);
    expect(ok.code).toBe(0);
    expect(parseCsv(ok.stdout)[1]!.slice(0, 3)).toEqual(['CC-PROD-001', 'CC-PROD-001', '1234.57']);
    const bad = await stipend(['report', 'spend', '--from', '2026-03-01', '--to', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('to: must be a date like 2026-03-01');
    const badFormat = await stipend(['report', 'export', '--month', '2026-03', '--format', 'sap']);
    expect(badFormat.code).toBe(2);
    const badEnv = await stipend(['report', 'export', '--month', '2026-03', '--format', 'focus'], { STIPEND_REPORT_TIME_ZONE: 'Moon/Base' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('STIPEND_REPORT_TIME_ZONE');
  });

  it('monthly sends once, however often the CronJob runs', async () => {
    const env = { STIPEND_SMTP_URL: smtp.url, STIPEND_REPORT_EMAIL_TO: 'finance@acme.example' };
    for (let i = 0; i < 2; i++) expect((await stipend(['report', 'monthly', '--month', '2026-03'], env)).code).toBe(0);
    expect(smtp.mails.filter((m) => m.parsed.subject === 'AI spend report — March 2026')).toHaveLength(1);
  });

  it('alerts delivers pending alerts once', async () => {
    const env = { STIPEND_SMTP_URL: smtp.url };
    expect((await stipend(['alerts'], env)).code).toBe(0);
    expect((await stipend(['alerts'], env)).code).toBe(0);
    const sam = smtp.mails.filter((m) => m.to.includes('sam@acme.example')).map((m) => m.parsed.subject);
    expect(sam.filter((s) => s === '[Stipend] Sam Support: 80% of acme/support used')).toHaveLength(1);
    // Depending on the day of the month the evaluation may add a forecast alert: each once.
    expect(new Set(sam).size).toBe(sam.length);
  });
});
