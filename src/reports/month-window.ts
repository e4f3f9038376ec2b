import { periodWindow } from '../ledger/period.ts';

export interface MonthWindow {
  readonly month: string; // YYYY-MM
  readonly start: Date;
  readonly end: Date; // exclusive
  readonly firstDay: string; // YYYY-MM-DD
  readonly lastDay: string; // YYYY-MM-DD
}

/** The month as local midnights in `timeZone` (DST-correct, from the ledger's period rules). */
export function monthWindow(month: string, timeZone: string): MonthWindow {
  const [y, m] = month.split('-').map(Number) as [number, number];
  // The 15th at 00:00 UTC lies inside the local month in every zone (offsets are within ±14 h).
  const w = periodWindow('Monthly', timeZone, new Date(Date.UTC(y, m - 1, 15)));
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { month, start: w.start, end: w.end, firstDay: `${month}-01`, lastDay: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** The month containing `at` in `timeZone`, shifted by `offset` months. */
export function monthOf(at: Date, timeZone: string, offset = 0): string {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(at); // "2026-03"
  const [y, m] = local.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + offset, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
