// Reports and exports over a generated ledger of more than 100,000 rows (three months, four
// teams and cost centers, twenty people, three providers, every pricing status): every total
// ties to the ledger to the nano-dollar, and a report stays fast.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUsd, roundToCents } from '../../src/pricing/money.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../src/reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS } from '../../src/config/reports-config.schema.ts';
import { exportMonth, REQUIRED_COLUMNS } from '../../src/reports/exports/exports.ts';
import { monthWindow } from '../../src/reports/month-window.ts';
import { buildSpendReport } from '../../src/reports/spend-report.ts';
import { DIMENSIONS } from '../../src/reports/spend-report.repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { EMPTY_DAY, generateLedger, ledgerTotals } from './support/generate-ledger.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const started = performance.now();
  await generateLedger(t.handle.db, 102_000);
  await sql`vacuum analyze usage_events`.execute(t.handle.db);
  console.log(`generated the ledger in ${Math.round(performance.now() - started)} ms`);
}, 300_000);
afterAll(async () => t?.drop());

const ALL = { start: new Date('2025-12-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };
const cents = (amount: string) => (amount === '' ? 0n : parseUsd(amount) / 10_000_000n);

describe('reports over a 100k-row ledger', () => {
  it('has at least 100,000 rows in every pricing status', async () => {
    const totals = await ledgerTotals(t.handle.db, ALL.start, ALL.end);
    expect(Number(totals.n)).toBeGreaterThanOrEqual(100_000);
    for (const status of ['priced', 'estimated', 'unpriced', 'usage_missing'] as const) expect(Number(totals[status])).toBeGreaterThan(0);
  });

  it.each(['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'])('ties out to the nano-dollar in %s', async (timeZone) => {
    const ledger = await ledgerTotals(t.handle.db, ALL.start, ALL.end);
    const report = await buildSpendReport(t.handle.db, { from: '2025-12-31', to: '2026-04-01', timeZone });
    expect(report.total.spendNanos).toBe(ledger.spend);
    expect(report.total.counts).toEqual({ priced: Number(ledger.priced), estimated: Number(ledger.estimated), unpriced: Number(ledger.unpriced), usage_missing: Number(ledger.usage_missing) });
    for (const dimension of DIMENSIONS) {
      const lines = report.groups[dimension];
      expect(lines.reduce((s, l) => s + l.spendNanos, 0n), dimension).toBe(ledger.spend);
      expect(lines.reduce((s, l) => s + l.spendCents, 0n), dimension).toBe(roundToCents(ledger.spend));
      expect(lines.reduce((s, l) => s + l.counts.unpriced, 0), dimension).toBe(Number(ledger.unpriced));
    }
    expect(report.groups.team.map((l) => l.key).sort()).toEqual(['acme/design', 'acme/engineering', 'acme/product', 'acme/support']);
    expect(report.groups.cost_center).toHaveLength(4);
    expect(report.groups.person).toHaveLength(20);
    expect(report.groups.provider).toHaveLength(3);
    expect(report.groups.model).toHaveLength(6);

    // One local month: the report's window is the zone's local midnights.
    const march = monthWindow('2026-03', timeZone);
    const m = await buildSpendReport(t.handle.db, { from: '2026-03-01', to: '2026-03-31', timeZone });
    expect(m.total.spendNanos).toBe((await ledgerTotals(t.handle.db, march.start, march.end)).spend);
  });

  it('zero-fills the daily series', async () => {
    const report = await buildSpendReport(t.handle.db, { from: '2026-01-01', to: '2026-03-31', timeZone: 'UTC' });
    expect(report.groups.day).toHaveLength(90);
    const empty = report.groups.day.find((d) => d.key === EMPTY_DAY)!;
    expect(empty.spendNanos).toBe(0n);
    expect(empty.counts).toEqual({ priced: 0, estimated: 0, unpriced: 0, usage_missing: 0 });
    expect(report.groups.day.filter((d) => d.spendNanos === 0n)).toHaveLength(1);
  });

  it('answers a quarter report fast', async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await buildSpendReport(t.handle.db, { from: '2026-01-01', to: '2026-03-31', timeZone: 'America/New_York' });
      times.push(performance.now() - started);
    }
    const monthStarted = performance.now();
    await buildSpendReport(t.handle.db, { from: '2026-02-01', to: '2026-02-28', timeZone: 'Europe/Berlin' });
    const month = performance.now() - monthStarted;
    times.sort((a, b) => a - b);
    console.log(`spend report over ${'>'}100k rows: quarter median ${Math.round(times[1]!)} ms (runs ${times.map(Math.round).join(', ')}), one month ${Math.round(month)} ms`);
    expect(times[1]!).toBeLessThan(2_000);
  });
});

describe('exports over a 100k-row ledger', () => {
  for (const month of ['2026-01', '2026-02', '2026-03']) {
    it.each(EXPORT_FORMATS)(`${month} %s has the required columns and ties to the ledger`, async (format) => {
      const config = { ...DEFAULT_EXPORT_CONFIG, timeZone: month === '2026-02' ? 'America/New_York' : 'UTC', netsuiteSubsidiary: 'Acme Inc.' };
      const window = monthWindow(month, config.timeZone);
      const ledger = await ledgerTotals(t.handle.db, window.start, window.end);
      const file = await exportMonth(t.handle.db, month, format, config);
      const [header, ...rows] = parseCsv(file.csv);
      for (const column of REQUIRED_COLUMNS[format]) expect(header, `${format} needs ${column}`).toContain(column);
      const col = (name: string) => header!.indexOf(name);
      expect(file.totalNanos).toBe(ledger.spend);
      if (format === 'focus') {
        const billed = rows.reduce((s, r) => s + parseUsd(r[col('BilledCost')]!), 0n);
        expect(billed).toBe(ledger.spend); // exact: nine decimals
        expect(rows.reduce((s, r) => s + Number(r[col('x_Requests')]), 0)).toBe(Number(ledger.n));
        for (const r of rows.slice(0, 50)) {
          expect(r[col('ChargeCategory')]).toBe('Usage');
          expect(r[col('BillingCurrency')]).toBe('USD');
          expect(Date.parse(r[col('ChargePeriodStart')]!)).toBeGreaterThanOrEqual(window.start.getTime());
          expect(Date.parse(r[col('ChargePeriodEnd')]!)).toBeLessThanOrEqual(window.end.getTime());
          expect(r[col('BillingPeriodStart')]).toBe(window.start.toISOString());
        }
        return;
      }
      const [debit, credit] = format === 'netsuite' ? ['Debit', 'Credit'] : format === 'quickbooks' ? ['Debits', 'Credits'] : ['DebitAmount', 'CreditAmount'];
      const debits = rows.reduce((s, r) => s + cents(r[col(debit!)]!), 0n);
      const credits = rows.reduce((s, r) => s + cents(r[col(credit!)]!), 0n);
      expect(debits).toBe(roundToCents(ledger.spend));
      expect(credits).toBe(debits);
      for (const r of rows) expect((cents(r[col(debit!)]!) > 0n) !== (cents(r[col(credit!)]!) > 0n)).toBe(true);
      // Expense per cost center and provider (4 × 3), liability per provider (3).
      expect(rows).toHaveLength(15);
    });
  }
});
