// Journals that import as they are: golden files per ERP from a fixed ledger and a fixed GL
// mapping, each checked column by column against the import spec facts in docs/exports.md;
// every vendor's credit is the sum of its debits to the cent; a mapping that does not cover the
// month is refused with everything that is missing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/admin-app.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG, type ExportConfig } from '../../src/reports/exports/export-config.schema.ts';
import { type ExportFormat } from '../../src/config/reports-config.schema.ts';
import { exportMonth } from '../../src/reports/exports/exports.ts';
import { loadGlMapping, parseGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { MappingIncompleteError, MappingNotConfiguredError } from '../../src/reports/gl-mapping/mapping-errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { CLOUD_ROWS_NANOS, insertCloudServedRows, insertFixedLedger } from './support/fixed-ledger.ts';

const FIXTURE = new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname;
const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;
const mapping = loadGlMapping(FIXTURE);
const config: ExportConfig = { ...DEFAULT_EXPORT_CONFIG, mapping };
const nonOneWorld: ExportConfig = {
  ...config,
  mapping: parseGlMapping({ ...structuredClone(mapping), netsuite: { ...structuredClone(mapping.netsuite!), oneWorld: false } }),
};

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  await insertFixedLedger(t.handle.db);
  await insertCloudServedRows(t.handle.db);
});
afterAll(async () => t?.drop());

const cents = (amount: string) => (amount === '' ? 0n : BigInt(amount.replace('.', '')));
type Row = Record<string, string>;
function rowsOf(csv: string): { header: string[]; rows: Row[] } {
  const [header, ...body] = parseCsv(csv);
  return { header: header!, rows: body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']))) };
}
function groupBy(rows: Row[], key: (r: Row) => string): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}
/** Compares with the golden file; STIPEND_UPDATE_GOLDEN=1 rewrites it (review the diff). */
function matchesGolden(name: string, csv: string) {
  if (process.env.STIPEND_UPDATE_GOLDEN === '1' || !existsSync(golden(name))) writeFileSync(golden(name), csv);
  expect(csv).toBe(readFileSync(golden(name), 'utf8'));
}

/** The fixed ledger's booked total: priced + estimated rows (12 rows, 2 not booked), and the 5 cloud-served rows. */
const BOOKED_NANOS = 1_235_000_000n + 2_345_000_000n + 3_455_000_000n + 4_999_999n + 12_345_678_901n + 999_999_999n + 5_000_000_005n + 777_777_777n + CLOUD_ROWS_NANOS;
const BOOKED_CENTS = 3383n; // 33.830123346 USD rounded once

describe('NetSuite journal (CSV import, Journal Entry)', () => {
  it('OneWorld: one entry per subsidiary, every column as the import reads it', async () => {
    const file = await exportMonth(t.handle.db, '2026-03', 'netsuite', config);
    matchesGolden('netsuite-oneworld-2026-03.csv', file.csv);
    expect(file.totalNanos).toBe(BOOKED_NANOS);
    const { header, rows } = rowsOf(file.csv);
    expect(header).toEqual(['External ID', 'Date', 'Subsidiary', 'Memo', 'Account', 'Debit', 'Credit', 'Line Memo', 'Name', 'Department', 'Class', 'Location']);
    const entries = groupBy(rows, (r) => r['External ID']!);
    expect([...entries.keys()]).toEqual(['STIPEND-2026-03-Acme-Design-Ltd', 'STIPEND-2026-03-Acme-Inc']);
    // An entry's rows are contiguous (single-file import groups by External ID) and balance.
    expect(rows.map((r) => r['External ID'])).toEqual([...entries.values()].flat().map((r) => r['External ID']));
    for (const [, lines] of entries) {
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(new Set(lines.map((r) => r.Subsidiary)).size).toBe(1);
      expect(lines.reduce((s, r) => s + cents(r.Debit!), 0n)).toBe(lines.reduce((s, r) => s + cents(r.Credit!), 0n));
    }
    expect(rows.reduce((s, r) => s + cents(r.Debit!), 0n)).toBe(BOOKED_CENTS);
    for (const r of rows) {
      expect(r.Date).toBe('03/31/2026'); // the account's date preference: MM/DD/YYYY here
      expect(r.Subsidiary).not.toBe('');
      expect(r.Account).toMatch(/^\S(.*\S)?$/); // exact names, no stray spaces
      for (const amount of [r.Debit!, r.Credit!]) expect(amount).toMatch(/^(\d{1,10}\.\d{2})?$/); // ≤ 10 digits, 2 decimals
      expect((r.Debit === '') !== (r.Credit === '')).toBe(true); // one side per line
      if (r.Debit !== '') expect(r.Department).not.toBe(''); // required by this account
    }
    // The vendor record on its A/P lines: OpenAI's own API, and AWS for Claude served by Bedrock.
    expect(rows.filter((r) => r.Account === '2000 Accounts Payable').map((r) => `${r.Name} ${r['Line Memo']}`)).toEqual([
      'OpenAI, L.L.C. Accrued AI usage 2026-03 · OpenAI',
      'Amazon Web Services, Inc. Accrued AI usage 2026-03 · AWS',
      'OpenAI, L.L.C. Accrued AI usage 2026-03 · OpenAI',
    ]);
  });

  it('without OneWorld: no Subsidiary column, one entry', async () => {
    const file = await exportMonth(t.handle.db, '2026-03', 'netsuite', nonOneWorld);
    matchesGolden('netsuite-2026-03.csv', file.csv);
    const { header, rows } = rowsOf(file.csv);
    expect(header).not.toContain('Subsidiary');
    expect(new Set(rows.map((r) => r['External ID']))).toEqual(new Set(['STIPEND-2026-03']));
  });
});

describe('QuickBooks Online journal (Import data → Journal entries)', () => {
  it('matches the golden file and the import rules', async () => {
    const file = await exportMonth(t.handle.db, '2026-03', 'quickbooks', config);
    matchesGolden('quickbooks-2026-03.csv', file.csv);
    const { header, rows } = rowsOf(file.csv);
    expect(header).toEqual(['Journal No.', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description', 'Name', 'Location', 'Class']);
    for (const r of rows) {
      expect(r['Journal No.']!.length).toBeLessThanOrEqual(21);
      expect(r['Journal Date']).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(r['Account Name']).not.toMatch(/^\d/); // names, account numbers turned off
      expect((r.Debits === '') !== (r.Credits === '')).toBe(true);
      // Accounts Payable lines need the supplier in Name: the invoicing vendor's.
      if (r['Account Name']!.startsWith('Accounts Payable')) expect(['OpenAI', 'Amazon Web Services']).toContain(r.Name);
    }
    for (const [, lines] of groupBy(rows, (r) => r['Journal No.']!)) {
      expect(lines.reduce((s, r) => s + cents(r.Debits!), 0n)).toBe(lines.reduce((s, r) => s + cents(r.Credits!), 0n));
    }
    expect(rows.find((r) => r.Description!.includes('Engineering'))?.Class).toBe('Engineering');
  });
});

describe('Workday journal (accounting journal connector, CSV layout)', () => {
  it('matches the golden file; reference IDs typed; cost center on every line, credits included', async () => {
    const file = await exportMonth(t.handle.db, '2026-03', 'workday', config);
    matchesGolden('workday-2026-03.csv', file.csv);
    const { rows } = rowsOf(file.csv);
    for (const r of rows) {
      expect(r.CompanyReferenceIDType).toBe('Company_Reference_ID');
      expect(r.LineCompanyReferenceIDType).toBe('Company_Reference_ID');
      expect(r.LineCompanyReferenceID).toBe(r.CompanyReferenceID);
      expect(r.LedgerAccountReferenceID_ParentIDType).toBe('Account_Set_ID');
      expect(r.LedgerAccountReferenceID_ParentID).toBe('Standard');
      expect(r.LedgerAccountReferenceIDType).toBe('Ledger_Account_ID');
      expect(r.Currency).toBe('USD');
      expect(r.LedgerType).toBe('Actuals');
      expect(r.JournalSource).toBe('Stipend_AI_Usage');
      expect(r.AccountingDate).toBe('2026-03-31');
      expect(r.Submit).toBe('0');
      expect(r.Worktag_Cost_Center_Reference_ID).toMatch(/^CC_/);
      if (r.DebitAmount !== '') expect(r.Worktag_Spend_Category_ID).toMatch(/^SC_AI_/);
      else expect(r.Worktag_Spend_Category_ID).toBe('');
    }
    const journals = groupBy(rows, (r) => r.JournalKey!);
    expect([...journals.keys()]).toEqual(['STIPEND-2026-03-ACME-UK', 'STIPEND-2026-03-ACME-US']);
    for (const [, lines] of journals) {
      expect(lines.map((r) => r.JournalLineOrder)).toEqual(lines.map((_, i) => String(i + 1)));
      expect(new Set(lines.map((r) => r.CompanyReferenceID)).size).toBe(1);
      // Balanced by cost center: a balancing worktag holds in every journal.
      for (const [, byCc] of groupBy(lines, (r) => r.Worktag_Cost_Center_Reference_ID!)) {
        expect(byCc.reduce((s, r) => s + cents(r.DebitAmount!), 0n)).toBe(byCc.reduce((s, r) => s + cents(r.CreditAmount!), 0n));
      }
    }
  });
});

describe('rounding', () => {
  it.each(['netsuite', 'quickbooks', 'workday'] as const)("%s: each vendor's credit is the sum of its debits, and the total is the month rounded once", async (format) => {
    const csv = (await exportMonth(t.handle.db, '2026-03', format, config)).csv;
    const { rows } = rowsOf(csv);
    const [debit, credit, memo] =
      format === 'netsuite' ? ['Debit', 'Credit', 'Line Memo'] : format === 'quickbooks' ? ['Debits', 'Credits', 'Description'] : ['DebitAmount', 'CreditAmount', 'LineMemo'];
    for (const vendor of ['OpenAI', 'Anthropic', 'Google', 'AWS', 'Microsoft']) {
      const lines = rows.filter((r) => r[memo!]!.includes(vendor));
      const debits = lines.reduce((s, r) => s + cents(r[debit!]!), 0n);
      expect(debits, vendor).toBeGreaterThan(0n);
      expect(lines.reduce((s, r) => s + cents(r[credit!]!), 0n), vendor).toBe(debits);
    }
    expect(rows.reduce((s, r) => s + cents(r[debit!]!), 0n)).toBe(BOOKED_CENTS);
    // OpenAI's three half-cent gpt-4o lines: 1.235 + 2.345 + 3.455 + 0.004999999 = 7.039999999 → 7.04, not 7.05.
    const openai = rows.filter((r) => r[memo!]!.includes('OpenAI')).reduce((s, r) => s + cents(r[credit!]!), 0n);
    expect(openai).toBe(704n);
  });
});

describe('a mapping that does not cover the month is refused', () => {
  const partial = parseGlMapping({
    netsuite: {
      oneWorld: true,
      expense: [{ match: 'openai/*', account: '6150 AI Services' }],
      accrual: { openai: { account: '2150 Accrued AI Services' } },
      dimensions: { costCenters: { 'CC-ENG-001': { subsidiary: 'Acme Inc.' } } },
    },
  });
  const missing = [
    'netsuite.accrual: no account for vendor anthropic',
    // Cloud-served rows need the cloud's accrual, not the maker's (openai's is there; Azure's is not).
    'netsuite.accrual: no account for vendor aws (serves anthropic)',
    'netsuite.accrual: no account for vendor google',
    'netsuite.accrual: no account for vendor google (serves anthropic)',
    'netsuite.accrual: no account for vendor microsoft (serves openai)',
    'netsuite.dimensions: no subsidiary for team (none) (cost center (none)) (OneWorld requires one)',
    'netsuite.dimensions: no subsidiary for team acme/design (cost center CC-DES-001) (OneWorld requires one)',
    'netsuite.dimensions: no subsidiary for team acme/product (cost center CC-PROD-001) (OneWorld requires one)',
    'netsuite.expense: no rule matches anthropic/claude-haiku-4-5',
    'netsuite.expense: no rule matches anthropic/claude-sonnet-4-5',
    'netsuite.expense: no rule matches google/gemini-2.5-flash',
  ];

  it('lists everything missing at once, with no placeholder in any file', async () => {
    const error = await exportMonth(t.handle.db, '2026-03', 'netsuite', { ...config, mapping: partial }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingIncompleteError);
    expect((error as MappingIncompleteError).missing).toEqual(missing);
    expect((error as Error).message).toBe(`netsuite journal refused: the GL mapping does not say: ${missing.join('; ')}`);
  });

  it('an ERP the mapping does not declare, or no mapping at all, is refused with how to configure it', async () => {
    await expect(exportMonth(t.handle.db, '2026-03', 'workday', { ...config, mapping: partial })).rejects.toThrow('the GL mapping has no "workday" section');
    const none = await exportMonth(t.handle.db, '2026-03', 'quickbooks', DEFAULT_EXPORT_CONFIG).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(MappingNotConfiguredError);
    expect((none as Error).message).toContain('set STIPEND_GL_MAPPING_FILE');
    // FOCUS needs no mapping.
    expect((await exportMonth(t.handle.db, '2026-03', 'focus', DEFAULT_EXPORT_CONFIG)).totalNanos).toBe(BOOKED_NANOS);
  });

  it('the admin API answers 422 mapping_incomplete with the list', async () => {
    const app = buildAdminApp({ db: t.handle.db, adminTokens: ['admin-token-0123456789abcdef'], exportConfig: { ...config, mapping: partial } });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/exports/netsuite?month=2026-03', headers: { authorization: 'Bearer admin-token-0123456789abcdef' } });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('mapping_incomplete');
      for (const m of missing) expect(res.json().error.message).toContain(m);
      const ok = await app.inject({ method: 'GET', url: '/api/exports/focus?month=2026-03', headers: { authorization: 'Bearer admin-token-0123456789abcdef' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-stipend-period']).toBe('open');
    } finally {
      await app.close();
    }
  });
});

const FORMATS: readonly ExportFormat[] = ['netsuite', 'quickbooks', 'workday'];
it('every ERP file is UTF-8 CSV with CRLF line ends and no formula-like cells', async () => {
  for (const format of FORMATS) {
    const csv = (await exportMonth(t.handle.db, '2026-03', format, config)).csv;
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n').every((line) => !/(^|,)[=+@]/.test(line))).toBe(true);
  }
});
