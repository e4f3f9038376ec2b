// The finance commands as a CronJob runs them: real processes, real Postgres, real SMTP.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const MAPPING = new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname;
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
  it('exports a month to stdout with the GL mapping, and refuses without one', async () => {
    const { code, stdout } = await stipend(['report', 'export', '--month', '2026-03', '--format', 'workday'], { STIPEND_GL_MAPPING_FILE: MAPPING });
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(stdout);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => [r[col('CompanyReferenceID')], r[col('DebitAmount')], r[col('CreditAmount')], r[col('Worktag_Cost_Center_Reference_ID')]])).toEqual([
      ['ACME_US', '1234.57', '', 'CC_PROD'],
      ['ACME_US', '', '1234.57', 'CC_PROD'],
    ]);
    const none = await stipend(['report', 'export', '--month', '2026-03', '--format', 'netsuite']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('stipend: netsuite journal refused: no GL mapping is configured; set STIPEND_GL_MAPPING_FILE to a mapping file (see docs/exports.md)\n');
    const bad = join(mkdtempSync(join(tmpdir(), 'stipend-')), 'gl.yaml');
    writeFileSync(bad, 'netsuite:\n  oneWorld: maybe\n  dateFormat: 31/12/2026\n');
    const badMapping = await stipend(['report', 'export', '--month', '2026-03', '--format', 'focus'], { STIPEND_GL_MAPPING_FILE: bad });
    expect(badMapping.code).toBe(2);
    expect(badMapping.stderr).toContain(`${bad}: invalid GL mapping: netsuite.oneWorld: `);
    expect(badMapping.stderr).toContain('netsuite.dateFormat: must be a date pattern like MM/DD/YYYY');
    expect(badMapping.stderr).toContain('netsuite.expense: ');
  });

  it('closes a month only after its end plus the grace', async () => {
    const early = await stipend(['report', 'close', '--month', '2099-01']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/^stipend: 2099-01 cannot be closed before 2099-02-02T00:00:00.000Z/);
    const help = await stipend(['report', 'close', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('stipend report close --month 2026-03');
    expect(help.stdout).toContain('STIPEND_CLOSE_GRACE_MS');
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

  it('monthly closes the month, then sends once, however often the CronJob runs', async () => {
    const env = { STIPEND_SMTP_URL: smtp.url, STIPEND_REPORT_EMAIL_TO: 'finance@acme.example', STIPEND_GL_MAPPING_FILE: MAPPING };
    for (let i = 0; i < 2; i++) expect((await stipend(['report', 'monthly', '--month', '2026-03'], env)).code).toBe(0);
    const sent = smtp.mails.filter((m) => m.parsed.subject === 'AI spend report — March 2026');
    expect(sent).toHaveLength(1);
    // FOCUS and every ERP the mapping declares, as closed.
    expect(sent[0]!.parsed.attachments.map((a) => a.filename).filter((f) => f?.endsWith('.csv')).sort()).toEqual([
      'stipend-2026-03-focus.csv',
      'stipend-2026-03-netsuite.csv',
      'stipend-2026-03-quickbooks.csv',
      'stipend-2026-03-teams.csv',
      'stipend-2026-03-workday.csv',
    ]);
    const closed = await stipend(['report', 'close', '--month', '2026-03'], { STIPEND_GL_MAPPING_FILE: MAPPING });
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(/^already closed 2026-03 \(UTC\) at ledger seq \d+ \(chain hash [0-9a-f]{64}\)\n/);
    expect(closed.stdout).toMatch(/netsuite\.csv\s+sha256 [0-9a-f]{64}\s+total 1234567890123 nano-dollars/);
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
