// One description per dashboard table serves the page, the CSV and the XLSX download, so a
// download is exactly the table on screen (plus exact nano-dollars next to every amount).
import { formatCents, formatDollars, formatNanos, roundToCents } from '../../reports/cents.ts';
import { toCsv, type Cell } from '../../reports/csv.ts';
import { toXlsx, type XlsxCell } from '../../reports/xlsx.ts';

export type ColumnKind = 'text' | 'money' | 'int' | 'percent';

export interface Column {
  readonly key: string;
  readonly label: string;
  readonly kind: ColumnKind;
}

export type Value = string | number | bigint | null;

export interface DashboardTable {
  readonly id: string; // url-safe: teams, budgets, people, models, daily, alerts
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Value>>[];
  readonly empty: string;
  /** Rows shown on the page (downloads have them all). */
  readonly pageRows?: number;
}

/** Every amount is rounded once, from its own nano-dollars (a team and its only member agree). */
export const dollars = (nanos: bigint | null) => (nanos === null ? '' : formatDollars(roundToCents(nanos)));
const percentText = (p: number | null) => (p === null ? '' : `${p.toFixed(1)}%`);

export function cellText(column: Column, value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  switch (column.kind) {
    case 'money':
      return dollars(value as bigint);
    case 'percent':
      return percentText(value as number);
    default:
      return String(value);
  }
}

function flatHeader(t: DashboardTable): string[] {
  return t.columns.flatMap((c) =>
    c.kind === 'money' ? [`${c.label} (USD)`, `${c.label} (nano-USD)`] : c.kind === 'percent' ? [`${c.label} (%)`] : [c.label],
  );
}

export function tableCsv(t: DashboardTable): string {
  const rows = t.rows.map((r) =>
    t.columns.flatMap((c): Cell[] => {
      const v = r[c.key] ?? null;
      if (c.kind === 'money') return v === null ? ['', ''] : [formatCents(roundToCents(v as bigint)), formatNanos(v as bigint)];
      if (c.kind === 'percent') return [v === null ? '' : (v as number).toFixed(1)];
      return [v as Cell];
    }),
  );
  return toCsv(flatHeader(t), rows);
}

export function tablesXlsx(tables: readonly DashboardTable[]): Buffer {
  return toXlsx(
    tables.map((t) => {
      const money: number[] = [];
      let i = 0;
      for (const c of t.columns) {
        if (c.kind === 'money') {
          money.push(i);
          i += 2;
        } else i += 1;
      }
      const rows = t.rows.map((r) =>
        t.columns.flatMap((c): XlsxCell[] => {
          const v = r[c.key] ?? null;
          // Dollars as numbers for sums in the sheet; the exact nano-dollars as text beside them.
          if (c.kind === 'money') return v === null ? [null, null] : [Number(roundToCents(v as bigint)) / 100, formatNanos(v as bigint)];
          if (c.kind === 'percent') return [v === null ? null : Math.round((v as number) * 10) / 10];
          return [typeof v === 'bigint' ? Number(v) : v];
        }),
      );
      return { name: t.title, header: flatHeader(t), rows, moneyColumns: money };
    }),
  );
}
