import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { allocateCents } from '../cents.ts';
import { roundToCents } from '../../pricing/money.ts';
import { monthWindow, type MonthWindow } from '../month-window.ts';
import { providerDisplayName, type ExportConfig } from './export-config.schema.ts';

export interface JournalLine {
  readonly account: string;
  readonly debitCents: bigint; // exactly one of debit/credit is non-zero
  readonly creditCents: bigint;
  readonly costCenter: string | null;
  readonly provider: string;
  readonly memo: string;
  readonly nanos: bigint;
}

/** One balanced journal for a month: expense debited per cost center and provider, liability credited per provider. */
export interface Journal {
  readonly window: MonthWindow;
  readonly journalId: string; // e.g. STIPEND-2026-03
  readonly memo: string;
  readonly totalNanos: bigint;
  readonly totalCents: bigint;
  readonly lines: readonly JournalLine[];
}

export async function buildJournal(db: Db, month: string, config: ExportConfig): Promise<Journal> {
  const window = monthWindow(month, config.timeZone);
  const { rows } = await sql<{ cost_center: string | null; provider: string; nanos: bigint }>`
    select cost_center, provider, sum(cost_nanos)::bigint as nanos
      from usage_events
     where occurred_at >= ${window.start} and occurred_at < ${window.end}
       and pricing_status in ('priced', 'estimated')
     group by cost_center, provider
    having sum(cost_nanos) > 0
     order by cost_center nulls last, provider`.execute(db);
  const totalNanos = rows.reduce((sum, r) => sum + r.nanos, 0n);
  const debitCents = allocateCents(rows.map((r) => r.nanos));
  const providers = [...new Set(rows.map((r) => r.provider))].sort();
  const providerNanos = providers.map((p) => rows.filter((r) => r.provider === p).reduce((s, r) => s + r.nanos, 0n));
  const creditCents = allocateCents(providerNanos);
  const lines: JournalLine[] = rows
    .map((r, i) => ({
      account: config.expenseAccount,
      debitCents: debitCents[i]!,
      creditCents: 0n,
      costCenter: r.cost_center,
      provider: r.provider,
      memo: `AI usage ${month} · ${providerDisplayName(r.provider)} · ${r.cost_center ?? 'no cost center'}`,
      nanos: r.nanos,
    }))
    .concat(
      providers.map((p, i) => ({
        account: config.liabilityAccount,
        debitCents: 0n,
        creditCents: creditCents[i]!,
        costCenter: null,
        provider: p,
        memo: `Accrued AI usage ${month} · ${providerDisplayName(p)}`,
        nanos: providerNanos[i]!,
      })),
    )
    .filter((l) => l.debitCents > 0n || l.creditCents > 0n);
  return {
    window,
    journalId: `STIPEND-${month}`,
    memo: `Stipend AI spend ${month}`,
    totalNanos,
    totalCents: roundToCents(totalNanos),
    lines,
  };
}

/** MM/DD/YYYY, as NetSuite (US date preference) and QuickBooks Online import dates. */
export function usDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-');
  return `${m}/${d}/${y}`;
}
