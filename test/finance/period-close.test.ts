// Period close against a real Postgres with injected clocks: refused before the month's end
// plus grace and out of order; closed files come back byte for byte; rows that settle later
// land in the next open month's adjustment entry; ranges over closed months are the sum of
// their closed figures; the stored books are write-once.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/admin-app.ts';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { readCloseFile, readLedgerHead } from '../../src/reports/books/period-closes.repository.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG, exportConfigFromEnv, type ExportConfig } from '../../src/reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, exportMonth } from '../../src/reports/exports/exports.ts';
import { loadGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { closeMonth, CloseRefusedError } from '../../src/reports/monthly/close-month.ts';
import { summaryFromJson } from '../../src/reports/monthly/summary-json.ts';
import { ConfigError } from '../../src/reports/parse-env.ts';
import { buildSpendReport } from '../../src/reports/spend-report.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { insertFixedLedger, insertRow } from './support/fixed-ledger.ts';

const mapping = loadGlMapping(new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname);
const config: ExportConfig = { ...DEFAULT_EXPORT_CONFIG, mapping };
const DAY = 86_400_000;
const APRIL_1 = Date.parse('2026-04-01T00:00:00Z');
const at = (ms: number) => ({ config, now: new Date(ms), closedBy: 'test' });
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const cents = (amount: string | undefined) => (!amount ? 0n : BigInt(amount.replace('.', '')));
const TOKEN = 'admin-token-0123456789abcdef';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  await insertFixedLedger(t.handle.db, 'march');
  await insertRow(t.handle.db, 'april-1', new Date('2026-04-03T10:00:00Z'), 2_000_000_000n, 'acme/product', 'CC-PROD-001');
});
afterAll(async () => t?.drop());

describe('closing a month', () => {
  it('is refused before the month has ended plus the grace, saying when it may close', async () => {
    const early = await closeMonth(t.handle.db, '2026-03', at(APRIL_1 + DAY - 1)).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(CloseRefusedError);
    expect((early as CloseRefusedError).reason).toBe('too_early');
    expect((early as Error).message).toContain('2026-03 cannot be closed before 2026-04-02T00:00:00.000Z');
    // A month that has not even ended, in the books' zone.
    const nyConfig = { ...config, timeZone: 'America/New_York' };
    await expect(closeMonth(t.handle.db, '2026-03', { config: nyConfig, now: new Date(APRIL_1 + DAY + 3_600_000), closedBy: 'test' })).rejects.toThrow(
      'before 2026-04-02T04:00:00.000Z',
    );
  });

  it('refuses a grace no longer than the reservation deadline', () => {
    expect(() => exportConfigFromEnv({ STIPEND_CLOSE_GRACE_MS: '600000' })).toThrow(ConfigError);
    expect(() => exportConfigFromEnv({ STIPEND_CLOSE_GRACE_MS: '600000' })).toThrow(/STIPEND_CLOSE_GRACE_MS: must be longer than STIPEND_RESERVATION_TTL_MS/);
    expect(() => exportConfigFromEnv({ STIPEND_CLOSE_GRACE_MS: '3600000', STIPEND_RESERVATION_TTL_MS: '3600000' })).toThrow(ConfigError);
    expect(exportConfigFromEnv({ STIPEND_CLOSE_GRACE_MS: '3600000' }).closeGraceMs).toBe(3_600_000);
  });

  it('stores the journals, FOCUS file, summary and figures with their SHA-256 and the ledger cut', async () => {
    const head = await readLedgerHead(t.handle.db);
    const { close, files, created } = await closeMonth(t.handle.db, '2026-03', at(APRIL_1 + DAY));
    expect(created).toBe(true);
    expect(close.cutoffSeq).toBe(head.seq);
    expect(close.cutoffHash).toBe(head.hash.toString('hex'));
    // The last row of the month (the April row came later in the fixture... it is seq 13).
    expect(close.lastRowSeq).toBe(12n);
    expect(files.map((f) => f.name)).toEqual(['focus.csv', 'netsuite.csv', 'quickbooks.csv', 'spend.json', 'summary.json', 'workday.csv']);
    for (const f of files) {
      const stored = (await readCloseFile(t.handle.db, '2026-03', f.name))!;
      expect(stored.sha256).toBe(sha256(stored.content));
    }
    const summary = summaryFromJson(JSON.parse((await readCloseFile(t.handle.db, '2026-03', 'summary.json'))!.content.toString()));
    const netsuite = parseCsv((await readCloseFile(t.handle.db, '2026-03', 'netsuite.csv'))!.content.toString());
    expect(summary.spentCents).toBe(netsuite.slice(1).reduce((s, r) => s + cents(r[5]), 0n)); // the summary matches the journal
    const again = await closeMonth(t.handle.db, '2026-03', at(APRIL_1 + 40 * DAY));
    expect(again.created).toBe(false);
    expect(again.close.closedAt).toEqual(close.closedAt);
  });

  it('months close in order', async () => {
    await expect(closeMonth(t.handle.db, '2026-05', at(APRIL_1 + 90 * DAY))).rejects.toThrow('2026-05 cannot be closed before 2026-04: months close in order');
    await expect(closeMonth(t.handle.db, '2026-02', at(APRIL_1 + 90 * DAY))).rejects.toThrow('2026-02 cannot be closed: 2026-03 is already closed');
  });
});

describe('after the close', () => {
  let before: Record<string, { csv: string; sha256: string }>;
  beforeAll(async () => {
    before = {};
    for (const format of EXPORT_FORMATS) {
      const f = await exportMonth(t.handle.db, '2026-03', format, config);
      before[format] = { csv: f.csv, sha256: f.sha256 };
    }
    // A request reserved at 23:59:59 on March 31 settles after the close.
    await insertRow(t.handle.db, 'late-march', new Date('2026-03-31T23:59:59Z'), 1_005_000_000n, 'acme/design', 'CC-DES-001', 'anthropic', 'claude-sonnet-4-5');
  });

  it('re-exporting a closed month returns the stored files byte for byte, whatever changed since', async () => {
    const changed: ExportConfig = { ...config, mapping: { ...mapping, netsuite: { ...mapping.netsuite!, memo: 'Changed {month}' } } };
    for (const format of EXPORT_FORMATS) {
      const f = await exportMonth(t.handle.db, '2026-03', format, changed);
      expect(f.closed).toBe(true);
      expect(f.csv).toBe(before[format]!.csv);
      expect(f.sha256).toBe(before[format]!.sha256);
      expect(f.sha256).toBe(sha256(f.csv));
    }
    const app = buildAdminApp({ db: t.handle.db, adminTokens: [TOKEN], exportConfig: changed });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/exports/workday?month=2026-03', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.rawPayload.equals(Buffer.from(before.workday!.csv))).toBe(true);
      expect(res.headers['x-stipend-period']).toBe('closed');
      expect(res.headers['x-stipend-sha256']).toBe(before.workday!.sha256);
      const periods = (await app.inject({ method: 'GET', url: '/api/periods', headers: { authorization: `Bearer ${TOKEN}` } })).json();
      expect(periods.closed.map((c: { month: string }) => c.month)).toEqual(['2026-03']);
      expect(periods.next).toEqual({ month: '2026-04', closableAt: '2026-05-02T00:00:00.000Z' });
      const file = await app.inject({ method: 'GET', url: '/api/periods/2026-03/files/netsuite.csv', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(file.body).toBe(before.netsuite!.csv);
    } finally {
      await app.close();
    }
  });

  it('a late row lands in the next open month as an adjustment entry (journals) and a correction (FOCUS)', async () => {
    const netsuite = parseCsv((await exportMonth(t.handle.db, '2026-04', 'netsuite', config)).csv);
    const ids = [...new Set(netsuite.slice(1).map((r) => r[0]))];
    expect(ids).toEqual(['STIPEND-2026-04-Acme-Inc', 'STIPEND-2026-04-ADJ-Acme-Design-Ltd']);
    const adj = netsuite.slice(1).filter((r) => r[0]!.includes('-ADJ'));
    expect(adj.map((r) => [r[4], r[5], r[6]])).toEqual([
      ['6152 AI Services : Anthropic', '1.01', ''], // 1.005 rounded once, half away from zero
      ['2150 Accrued AI Services', '', '1.01'],
    ]);
    expect(adj.every((r) => r[1] === '04/30/2026' && r[3] === 'AI usage of closed months settled late, booked 2026-04')).toBe(true);
    const workday = parseCsv((await exportMonth(t.handle.db, '2026-04', 'workday', config)).csv);
    expect(workday.slice(1).filter((r) => r[0]!.startsWith('STIPEND-2026-04-ADJ')).map((r) => r[20])).toEqual(['CC_DES', 'CC_DES']); // cost center on both sides

    const focus = parseCsv((await exportMonth(t.handle.db, '2026-04', 'focus', config)).csv);
    const col = (name: string) => focus[0]!.indexOf(name);
    const corrections = focus.slice(1).filter((r) => r[col('ChargeClass')] === 'Correction');
    expect(corrections.length).toBeGreaterThan(0);
    for (const r of corrections) {
      expect(r[col('ChargePeriodStart')]).toBe('2026-03-31T00:00:00Z');
      expect(r[col('BillingPeriodStart')]).toBe('2026-04-01T00:00:00Z');
    }
    // Reports: March keeps its closed figures; April books the late row with its own rounding.
    const march = await buildSpendReport(t.handle.db, { from: '2026-03-01', to: '2026-03-31', timeZone: 'UTC' });
    expect(march.closedMonths).toEqual(['2026-03']);
    expect(march.total.spendCents).toBe(2616n);
    const april = await buildSpendReport(t.handle.db, { from: '2026-04-01', to: '2026-04-30', timeZone: 'UTC' });
    expect(april.total.spendNanos).toBe(2_000_000_000n + 1_005_000_000n);
    expect(april.adjustments.spendCents).toBe(101n);
    expect(april.total.spendCents).toBe(200n + 101n);
    expect(april.groups.day.find((d) => d.key === '2026-04-30')!.spendNanos).toBe(1_005_000_000n); // dated the month's last day
    // A row late for March that arrives after April closed goes to May.
    await closeMonth(t.handle.db, '2026-04', at(Date.parse('2026-05-02T00:00:00Z')));
    await insertRow(t.handle.db, 'later-march', new Date('2026-03-15T00:00:00Z'), 3_000_000_000n);
    expect((await buildSpendReport(t.handle.db, { from: '2026-05-01', to: '2026-05-31', timeZone: 'UTC' })).adjustments.spendNanos).toBe(3_000_000_000n);
    expect((await buildSpendReport(t.handle.db, { from: '2026-04-01', to: '2026-04-30', timeZone: 'UTC' })).total.spendCents).toBe(301n);
  });

  it('the stored books are write-once, for the owner too', async () => {
    await expect(sql`update period_close_files set content = 'x' where month = '2026-03'`.execute(t.handle.db)).rejects.toThrow('period_close_files is write-once: UPDATE refused');
    await expect(sql`delete from period_closes where month = '2026-03'`.execute(t.handle.db)).rejects.toThrow('period_closes is write-once: DELETE refused');
    await expect(sql`truncate period_close_files`.execute(t.handle.db)).rejects.toThrow('write-once');
  });

  it('closing through the admin API needs an admin token and says why it refuses', async () => {
    const app = buildAdminApp({ db: t.handle.db, adminTokens: [TOKEN], readOnlyTokens: ['reader-token-0123456789abcdef'], exportConfig: config, now: () => new Date('2026-06-01T12:00:00Z') });
    try {
      const reader = await app.inject({ method: 'POST', url: '/api/periods/2026-05/close', headers: { authorization: 'Bearer reader-token-0123456789abcdef' } });
      expect(reader.statusCode).toBe(403);
      const early = await app.inject({ method: 'POST', url: '/api/periods/2026-05/close', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(early.statusCode).toBe(409);
      expect(early.json().error).toEqual({ code: 'conflict', message: expect.stringContaining('2026-05 cannot be closed before 2026-06-02T00:00:00.000Z') });
      const again = await app.inject({ method: 'POST', url: '/api/periods/2026-04/close', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(again.statusCode).toBe(200);
      expect(again.json().files.map((f: { name: string }) => f.name)).toContain('summary.json');
    } finally {
      await app.close();
    }
  });
});

describe('a quarter of closed months', () => {
  let q: TestDatabase;
  beforeAll(async () => {
    q = await createTestDatabase();
    await syncResources(q.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
    // Per month, OpenAI's three lines each carry half a cent (rounded line by line: 3.72, but
    // the vendor's 3.705 is 3.71), and each month totals 4.704999999 (4.70): the quarter's
    // nanos rounded once would be 14.11, its months sum to 14.10.
    let n = 0;
    for (const month of ['2027-01', '2027-02', '2027-03']) {
      for (const [team, cc] of [['acme/engineering', 'CC-ENG-001'], ['acme/product', 'CC-PROD-001'], ['acme/design', 'CC-DES-001']] as const) {
        await insertRow(q.handle.db, `q-${n++}`, new Date(`${month}-10T12:00:00Z`), 1_235_000_000n, team, cc);
        await insertRow(q.handle.db, `q-${n++}`, new Date(`${month}-11T12:00:00Z`), 333_333_333n, team, cc, 'anthropic', 'claude-sonnet-4-5');
      }
    }
    // As the CronJob does it: connected as the runtime role, whose grants must suffice.
    const runtime = connectPostgres({ connectionString: q.runtimeUrl, maxConnections: 5 });
    try {
      for (const [month, closeAt] of [['2027-01', '2027-02-02'], ['2027-02', '2027-03-02'], ['2027-03', '2027-04-02']] as const) {
        await closeMonth(runtime.db, month, at(Date.parse(`${closeAt}T00:00:00Z`)));
      }
      await expect(sql`delete from period_close_files`.execute(runtime.db)).rejects.toThrow(/permission denied|write-once/);
    } finally {
      await runtime.close();
    }
  });
  afterAll(async () => q?.drop());

  it('equals the sum of its months to the cent, line by line, from the closed figures', async () => {
    const quarter = await buildSpendReport(q.handle.db, { from: '2027-01-01', to: '2027-03-31', timeZone: 'UTC' });
    expect(quarter.closedMonths).toEqual(['2027-01', '2027-02', '2027-03']);
    let journals = 0n;
    let summaries = 0n;
    const teamCents = new Map<string, bigint>();
    for (const month of ['2027-01', '2027-02', '2027-03']) {
      for (const format of ['netsuite', 'quickbooks', 'workday'] as const) {
        const rows = parseCsv((await exportMonth(q.handle.db, month, format, config)).csv);
        const debitCol = rows[0]!.indexOf(format === 'netsuite' ? 'Debit' : format === 'quickbooks' ? 'Debits' : 'DebitAmount');
        const debits = rows.slice(1).reduce((s, r) => s + cents(r[debitCol]), 0n);
        if (format === 'netsuite') journals += debits;
        else expect(debits).toBe(rows.slice(1).reduce((s, r) => s + cents(r[debitCol + 1]), 0n));
      }
      const summary = summaryFromJson(JSON.parse((await readCloseFile(q.handle.db, month, 'summary.json'))!.content.toString()));
      summaries += summary.spentCents;
      for (const team of summary.teams) teamCents.set(team.team, (teamCents.get(team.team) ?? 0n) + team.spentCents);
    }
    expect(quarter.total.spendCents).toBe(journals);
    expect(quarter.total.spendCents).toBe(summaries);
    for (const line of quarter.groups.team) expect(line.spendCents, line.key).toBe(teamCents.get(line.key) ?? 0n);
    // Not the quarter's nanos rounded once (14.11): the books are monthly.
    expect(quarter.total.spendNanos).toBe(14_114_999_997n);
    expect(quarter.total.spendCents).toBe(1410n);
    expect(quarter.groups.team.reduce((s, l) => s + l.spendCents, 0n)).toBe(quarter.total.spendCents);
  });

  it('uses the closed figures even when late rows reach the ledger', async () => {
    const before = await buildSpendReport(q.handle.db, { from: '2027-01-01', to: '2027-03-31', timeZone: 'UTC' });
    await insertRow(q.handle.db, 'q-late', new Date('2027-02-20T00:00:00Z'), 9_999_000_000n);
    const after = await buildSpendReport(q.handle.db, { from: '2027-01-01', to: '2027-03-31', timeZone: 'UTC' });
    expect(after.total).toEqual(before.total);
    expect((await buildSpendReport(q.handle.db, { from: '2027-04-01', to: '2027-04-30', timeZone: 'UTC' })).adjustments.spendNanos).toBe(9_999_000_000n);
  });
});
