// Budget windows are derived from a timestamp, never kept by reset jobs: a window
// starts at local midnight in the budget's time zone (weeks on Monday, months on the 1st).
export type Period = 'Daily' | 'Weekly' | 'Monthly';

export interface PeriodWindow {
  readonly start: Date;
  readonly end: Date; // exclusive
}

interface LocalDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall-clock fields at an instant. */
function wallClock(timeZone: string, at: number) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/**
 * The first instant whose local date is `d`. Found by binary search over the
 * ±15 h around UTC midnight (every zone's offset lies inside), so offsets that
 * change around midnight, and midnights that DST skips, need no special cases.
 */
function startOfLocalDay(timeZone: string, d: LocalDate): Date {
  const target = d.year * 10_000 + d.month * 100 + d.day;
  const dateAt = (t: number) => {
    const w = wallClock(timeZone, t);
    return w.year * 10_000 + w.month * 100 + w.day;
  };
  const MINUTE = 60_000;
  let lo = Date.UTC(d.year, d.month - 1, d.day) / MINUTE - 15 * 60; // local date < target here
  let hi = lo + 30 * 60; // local date >= target here
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dateAt(mid * MINUTE) >= target) hi = mid;
    else lo = mid;
  }
  return new Date(hi * MINUTE);
}

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function windowDates(period: Period, local: LocalDate): [LocalDate, LocalDate] {
  switch (period) {
    case 'Daily':
      return [local, addDays(local, 1)];
    case 'Weekly': {
      const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay(); // 0 = Sunday
      const monday = addDays(local, -((weekday + 6) % 7));
      return [monday, addDays(monday, 7)];
    }
    case 'Monthly': {
      const first = { year: local.year, month: local.month, day: 1 };
      const next = local.month === 12 ? { year: local.year + 1, month: 1, day: 1 } : { year: local.year, month: local.month + 1, day: 1 };
      return [first, next];
    }
  }
}

const lastWindow = new Map<string, PeriodWindow>();

/** The window of `period` in `timeZone` that contains `at`: [start, end). */
export function periodWindow(period: Period, timeZone: string, at: Date): PeriodWindow {
  const key = `${period}|${timeZone}`;
  const cached = lastWindow.get(key);
  const t = at.getTime();
  if (cached && t >= cached.start.getTime() && t < cached.end.getTime()) return cached;
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone: ${JSON.stringify(timeZone)}`);
  const w = wallClock(timeZone, t);
  const [from, to] = windowDates(period, { year: w.year, month: w.month, day: w.day });
  const window = { start: startOfLocalDay(timeZone, from), end: startOfLocalDay(timeZone, to) };
  lastWindow.set(key, window);
  return window;
}
