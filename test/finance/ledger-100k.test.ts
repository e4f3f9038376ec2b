// Reports and exports over a generated ledger of more than 100,000 rows (three months, four
// teams and cost centers, twenty people, three providers, every pricing status): every total
// ties to the ledger to the nano-dollar, and a report stays fast.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUsd } from '../../src/pricing/money.ts';
import { roundToCents } from '../../src/reports/cents.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../src/reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, exportMonth, REQUIRED_COLUMNS } from '../../src/reports/exports/exports.ts';
import { loadGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { closeMonth } from '../../src/reports/monthly/close-month.ts';
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
const MAPPING = loadGlMapping(new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname);

/** Local midnight of a date in a zone, as Postgres computes it. */
async function midnight(day: string, timeZone: string): Promise<Date> {
  const { rows } = await sql<{ t: Date }>`select (${day}::date)::timestamp at time zone ${timeZone} as t`.execute(t.handle.db);
  return rows[0]!.t;
}
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
    // The books round each month once; a range is the sum of its months (here: Dec 31, Jan–Mar, Apr 1).
    const bounds = ['2025-12-31', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-04-02'];
    let monthsCents = 0n;
    for (let i = 0; i + 1 < bounds.length; i++) {
      monthsCents += roundToCents((await ledgerTotals(t.handle.db, await midnight(bounds[i]!, timeZone), await midnight(bounds[i + 1]!, timeZone))).spend);
    }
    expect(report.total.spendCents).toBe(monthsCents);
    for (const dimension of DIMENSIONS) {
      const lines = report.groups[dimension];
      expect(lines.reduce((s, l) => s + l.spendNanos, 0n), dimension).toBe(ledger.spend);
      expect(lines.reduce((s, l) => s + l.spendCents, 0n), dimension).toBe(monthsCents);
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
    // The floor: one bare aggregate over the quarter's rows, measured in the same run.
    const floorStarted = performance.now();
    await sql`select sum(cost_nanos), count(*) from usage_events where occurred_at >= ${new Date('2026-01-01T05:00:00Z')} and occurred_at < ${new Date('2026-04-01T04:00:00Z')}`.execute(t.handle.db);
    const floor = performance.now() - floorStarted;
    const monthStarted = performance.now();
    await buildSpendReport(t.handle.db, { from: '2026-02-01', to: '2026-02-28', timeZone: 'Europe/Berlin' });
    const month = performance.now() - monthStarted;
    times.sort((a, b) => a - b);
    console.log(`spend report over ${'>'}100k rows: quarter median ${Math.round(times[1]!)} ms (runs ${times.map(Math.round).join(', ')}), one month ${Math.round(month)} ms; floor (one sum over the quarter) ${Math.round(floor)} ms`);
    expect(times[1]!).toBeLessThan(2_000);
  });
});

describe('exports over a 100k-row ledger', () => {
  for (const month of ['2026-01', '2026-02', '2026-03']) {
    it.each(EXPORT_FORMATS)(`${month} %s has the required columns and ties to the ledger`, async (format) => {
      const config = { ...DEFAULT_EXPORT_CONFIG, mapping: MAPPING, timeZone: month === '2026-02' ? 'America/New_York' : 'UTC' };
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
        const { rows: tokens } = await sql<{ input: bigint; output: bigint }>`
          select sum(input_tokens)::bigint as input, sum(output_tokens)::bigint as output from usage_events
           where occurred_at >= ${window.start} and occurred_at < ${window.end}`.execute(t.handle.db);
        const sumTokens = (kind: string) => rows.filter((r) => r[col('x_TokenType')] === kind).reduce((s, r) => s + BigInt(r[col('x_Tokens')]!), 0n);
        expect(sumTokens('input')).toBe(tokens[0]!.input);
        expect(sumTokens('output')).toBe(tokens[0]!.output);
        for (const r of rows.slice(0, 200)) {
          expect(r[col('ChargeCategory')]).toBe('Usage');
          expect(r[col('BillingCurrency')]).toBe('USD');
          expect(Date.parse(r[col('ChargePeriodStart')]!)).toBeGreaterThanOrEqual(window.start.getTime());
          expect(Date.parse(r[col('ChargePeriodEnd')]!)).toBeLessThanOrEqual(window.end.getTime());
          expect(r[col('BillingPeriodStart')]).toBe(window.start.toISOString().replace('.000Z', 'Z'));
        }
        return;
      }
      const [debit, credit, memo] =
        format === 'netsuite' ? ['Debit', 'Credit', 'Line Memo'] : format === 'quickbooks' ? ['Debits', 'Credits', 'Description'] : ['DebitAmount', 'CreditAmount', 'LineMemo'];
      const debits = rows.reduce((s, r) => s + cents(r[col(debit!)]!), 0n);
      expect(debits).toBe(roundToCents(ledger.spend));
      expect(rows.reduce((s, r) => s + cents(r[col(credit!)]!), 0n)).toBe(debits);
      for (const r of rows) expect((cents(r[col(debit!)]!) > 0n) !== (cents(r[col(credit!)]!) > 0n)).toBe(true);
      for (const vendor of ['OpenAI', 'Anthropic', 'Google']) {
        const lines = rows.filter((r) => r[col(memo!)]!.includes(vendor));
        expect(lines.reduce((s, r) => s + cents(r[col(credit!)]!), 0n), vendor).toBe(lines.reduce((s, r) => s + cents(r[col(debit!)]!), 0n));
      }
    });
  }
});

describe('closing months of a 100k-row ledger', () => {
  it('closes three months, and a quarter report then reads their stored figures', async () => {
    const config = { ...DEFAULT_EXPORT_CONFIG, mapping: MAPPING };
    const live = await buildSpendReport(t.handle.db, { from: '2026-01-01', to: '2026-03-31', timeZone: 'UTC' });
    const times: number[] = [];
    for (const [month, now] of [['2026-01', '2026-02-02'], ['2026-02', '2026-03-02'], ['2026-03', '2026-04-02']] as const) {
      const started = performance.now();
      await closeMonth(t.handle.db, month, { config, now: new Date(`${now}T00:00:00Z`), closedBy: 'test' });
      times.push(performance.now() - started);
    }
    const started = performance.now();
    const closed = await buildSpendReport(t.handle.db, { from: '2026-01-01', to: '2026-03-31', timeZone: 'UTC' });
    const quarter = performance.now() - started;
    console.log(`closing a month of ~34k rows (3 journals, FOCUS, summary, figures): ${times.map(Math.round).join(', ')} ms; quarter report from closed figures ${Math.round(quarter)} ms`);
    expect(closed.closedMonths).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(closed.total).toEqual(live.total);
    for (const dimension of DIMENSIONS) expect(closed.groups[dimension], dimension).toEqual(live.groups[dimension]);
  }, 300_000);
});
