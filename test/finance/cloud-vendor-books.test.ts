// Claude bought two ways — from Anthropic and through Amazon Bedrock — booked through the real
// ledger (reserve + settle in Postgres, platform and upstream from the reservation's context):
// the journals credit two vendors, Anthropic and AWS, each with exactly its debits, and the
// month's debits are the same cents as the spend rounded once; FOCUS names AWS as the invoice
// issuer and service provider and Anthropic as the publisher; a closed month keeps its stored
// files when the vendor attribution changes afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { roundToCents } from '../../src/pricing/money.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG, type ExportConfig } from '../../src/reports/exports/export-config.schema.ts';
import { bookCutOf } from '../../src/reports/books/book-cut.ts';
import { closeMarks, listCloses } from '../../src/reports/books/period-closes.repository.ts';
import { exportMonth, generateExport } from '../../src/reports/exports/exports.ts';
import { loadGlMapping, parseGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { closeMonth } from '../../src/reports/monthly/close-month.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';

const mapping = loadGlMapping(new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname);
const config: ExportConfig = { ...DEFAULT_EXPORT_CONFIG, mapping };
const MONTH = '2026-02';
const at = (day: number) => new Date(Date.UTC(2026, 1, day, 12));
const claude = { team: 'acme/engineering', provider: 'anthropic', model: 'claude-sonnet-4-5' };
// Half a cent on each side: rounded per vendor on their own they would book 1 ¢ more than the month.
const ANTHROPIC = [1_000_000_000n, 235_000_000n];
const BEDROCK = [2_000_000_000n, 345_000_000n];
const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.handle.db;
  await syncResources(db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  let day = 2;
  for (const nanos of ANTHROPIC) await charge(db, 'ada@acme.example', ['acme/eng-principal'], nanos, { ...claude, at: at(day++), platform: 'anthropic', upstream: 'anthropic' });
  for (const nanos of BEDROCK) await charge(db, 'ada@acme.example', ['acme/eng-principal'], nanos, { ...claude, at: at(day++), platform: 'bedrock', upstream: 'bedrock-us-east-1' });
});
afterAll(async () => t?.drop());

type Row = Record<string, string>;
const rowsOf = (csv: string): Row[] => {
  const [header, ...body] = parseCsv(csv);
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
};
const cents = (amount: string) => (amount === '' ? 0n : BigInt(amount.replace('.', '')));

describe('one maker served by two platforms', () => {
  it('the ledger recorded where each call was served', async () => {
    const rows = await t.handle.db.selectFrom('usage_events').select(['provider', 'platform', 'upstream', 'cost_nanos']).orderBy('seq').execute();
    expect(rows.map((r) => `${r.provider} ${r.platform} ${r.upstream}`)).toEqual([
      'anthropic anthropic anthropic',
      'anthropic anthropic anthropic',
      'anthropic bedrock bedrock-us-east-1',
      'anthropic bedrock bedrock-us-east-1',
    ]);
  });

  it.each([
    ['netsuite', 'Debit', 'Credit', 'Line Memo', 'Name'],
    ['quickbooks', 'Debits', 'Credits', 'Description', 'Name'],
    ['workday', 'DebitAmount', 'CreditAmount', 'LineMemo', null],
  ] as const)('%s: two credit lines, Anthropic and AWS, each the sum of its debits; the month rounded once', async (format, debit, credit, memo, name) => {
    const rows = rowsOf((await exportMonth(t.handle.db, MONTH, format, config)).csv);
    const credits = rows.filter((r) => r[credit] !== '');
    expect(credits.map((r) => `${r[memo]}${name ? ` | ${r[name]}` : ''} | ${r[credit]}`)).toEqual([
      `Accrued AI usage ${MONTH} · Anthropic${name ? ' | ' : ''} | 1.24`,
      `Accrued AI usage ${MONTH} · AWS${name ? ` | ${format === 'netsuite' ? 'Amazon Web Services, Inc.' : 'Amazon Web Services'}` : ''} | 2.34`,
    ]);
    for (const vendor of ['Anthropic', 'AWS']) {
      const lines = rows.filter((r) => r[memo]!.includes(`· ${vendor}`));
      expect(sum(lines.map((r) => cents(r[debit]!))), vendor).toBe(sum(lines.map((r) => cents(r[credit]!))));
    }
    // 1.235 + 2.345 = 3.58: the cents one vendor would have been credited (not 1.24 + 2.35 = 3.59).
    const debits = sum(rows.map((r) => cents(r[debit]!)));
    expect(debits).toBe(roundToCents(sum(ANTHROPIC) + sum(BEDROCK)));
    expect(debits).toBe(358n);
    expect(sum(rows.map((r) => cents(r[credit]!)))).toBe(debits);
  });

  it('FOCUS: AWS invoices and provides the Bedrock rows, Anthropic publishes both; billed cost per issuer is exact', async () => {
    const rows = rowsOf((await exportMonth(t.handle.db, MONTH, 'focus', config)).csv);
    const byIssuer = new Map<string, bigint>();
    for (const r of rows) byIssuer.set(r.InvoiceIssuerName!, (byIssuer.get(r.InvoiceIssuerName!) ?? 0n) + BigInt(r.BilledCost!.replace('.', '')));
    expect(byIssuer).toEqual(new Map([['Anthropic', sum(ANTHROPIC)], ['AWS', sum(BEDROCK)]]));
    const roles = new Set(rows.map((r) => [r.InvoiceIssuerName, r.ProviderName, r.ServiceProviderName, r.HostProviderName, r.PublisherName, r.ServiceName, r.InvoiceId, r.x_Upstream].join(' | ')));
    expect([...roles].sort()).toEqual([
      `AWS | AWS | AWS | AWS | Anthropic | Amazon Bedrock | STIPEND-${MONTH}-aws | bedrock-us-east-1`,
      `Anthropic | Anthropic | Anthropic | Anthropic | Anthropic | Anthropic API | STIPEND-${MONTH}-anthropic | anthropic`,
    ]);
  });

  it('a closed month keeps its stored files when the attribution changes later; an open export follows it', async () => {
    await closeMonth(t.handle.db, MONTH, { config, now: new Date(Date.UTC(2026, 2, 3)), closedBy: 'test' });
    const stored = await exportMonth(t.handle.db, MONTH, 'quickbooks', config);
    // Later, Bedrock is found to be bought through a reseller: the closed month is not rewritten.
    const resold: ExportConfig = { ...config, mapping: parseGlMapping({ ...structuredClone(mapping), invoicedBy: { 'bedrock-us-east-1': 'reseller' } }) };
    const again = await exportMonth(t.handle.db, MONTH, 'quickbooks', resold);
    expect([again.closed, again.sha256, again.csv]).toEqual([true, stored.sha256, stored.csv]);
    expect(again.csv).toContain('· AWS');
    // …while the same ledger rows computed afresh would now credit the reseller.
    const fresh = await generateExport(t.handle.db, MONTH, 'quickbooks', resold, bookCutOf(closeMarks(await listCloses(t.handle.db)), MONTH));
    expect(fresh.csv).toContain('· reseller');
    expect(fresh.csv).not.toBe(stored.csv);
    // A file first produced after the close uses the attribution in force then (here: FOCUS was stored at the close).
    const focus = await exportMonth(t.handle.db, MONTH, 'focus', resold);
    expect(focus.closed).toBe(true);
    expect(focus.csv).not.toContain('reseller');
  });
});
