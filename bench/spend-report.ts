// A spend report over a generated ledger of 102,000 rows (three months, every pricing status):
// a quarter and a month, next to the floor — one bare aggregate over the quarter's rows in the
// same run. test/finance/ledger-100k.test.ts checks the figures tie to the ledger; the time is here.
import { sql } from 'kysely';
import { buildSpendReport } from '../src/reports/spend-report.ts';
import { generateLedger } from '../test/finance/support/generate-ledger.ts';
import { createTestDatabase } from '../test/support/test-database.ts';

export interface SpendReportTimes {
  readonly quarterMs: readonly number[];
  readonly monthMs: number;
  readonly floorMs: number;
}

export async function benchSpendReport(): Promise<SpendReportTimes> {
  const t = await createTestDatabase();
  try {
    await generateLedger(t.handle.db, 102_000);
    await sql`vacuum analyze usage_events`.execute(t.handle.db);
    const quarterMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await buildSpendReport(t.handle.db, { from: '2026-01-01', to: '2026-03-31', timeZone: 'America/New_York' });
      quarterMs.push(performance.now() - started);
    }
    const floorStarted = performance.now();
    await sql`select sum(cost_nanos), count(*) from usage_events where occurred_at >= ${new Date('2026-01-01T05:00:00Z')} and occurred_at < ${new Date('2026-04-01T04:00:00Z')}`.execute(t.handle.db);
    const floorMs = performance.now() - floorStarted;
    const monthStarted = performance.now();
    await buildSpendReport(t.handle.db, { from: '2026-02-01', to: '2026-02-28', timeZone: 'Europe/Berlin' });
    return { quarterMs: quarterMs.sort((a, b) => a - b), monthMs: performance.now() - monthStarted, floorMs };
  } finally {
    await t.drop();
  }
}

export function spendReportReport(r: SpendReportTimes): string[] {
  return [
    `Spend report over 102,000 ledger rows: quarter median ${Math.round(r.quarterMs[1]!)} ms (runs ${r.quarterMs.map(Math.round).join(', ')}; target: under 2,000 ms), one month ${Math.round(r.monthMs)} ms; floor (one sum over the quarter) ${Math.round(r.floorMs)} ms`,
  ];
}

if (import.meta.main) process.stdout.write(spendReportReport(await benchSpendReport()).join('\n') + '\n');
