// Budget windows are derived from a timestamp, never kept by reset jobs: a window
// starts at local midnight in the budget's time zone (weeks on Monday, months on
// the 1st) and ends where the next one starts, so DST days are 23 or 25 hours.
export type Period = 'Daily' | 'Weekly' | 'Monthly';

export interface PeriodWindow {
  readonly start: Date;
  readonly end: Date; // exclusive
}

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// Every offset tzdb has ever used (LMT included, e.g. Asia/Manila −15:56:08) lies within this.
const MAX_OFFSET = 17 * HOUR;

/** [start, end) in epoch ms; kept as numbers so callers can't mutate a memoized window. */
interface Span {
  readonly start: number;
  readonly end: number;
}

interface Zone {
  readonly fmt: Intl.DateTimeFormat;
  // The last window computed per period: consecutive requests almost always fall inside it.
  readonly last: Map<Period, Span>;
}

// Building an Intl.DateTimeFormat costs tens of microseconds; one per zone is kept for the process.
const zones = new Map<string, Zone>();

/** The cached zone, or undefined when `timeZone` is not a time zone Intl knows. */
function zone(timeZone: string): Zone | undefined {
  const cached = zones.get(timeZone);
  if (cached) return cached;
  // Intl treats an undefined zone as the host's zone: only strings are names.
  if (typeof timeZone !== 'string') return undefined;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23', // 00–23: never "24:00"
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined; // invalid names are not cached: they are rejected at config time
  }
  const z: Zone = { fmt, last: new Map() };
  zones.set(timeZone, z);
  return z;
}

/** True for any IANA name (or alias, any letter case) the runtime's tz data knows. */
export function isValidTimeZone(timeZone: string): boolean {
  return zone(timeZone) !== undefined;
}

/**
 * The zone's wall clock at instant `t`, as epoch ms of the same fields read as UTC.
 * Intl drops the milliseconds (flooring, also before 1970).
 */
function wallMs(fmt: Intl.DateTimeFormat, t: number): number {
  let year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  for (const p of fmt.formatToParts(t)) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value); break;
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
    }
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to the 1900s.
  return new Date(0).setUTCFullYear(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * SECOND;
}

/** The zone's offset (wall clock minus UTC) at instant `t`, in ms. */
const offsetAt = (fmt: Intl.DateTimeFormat, t: number): number => wallMs(fmt, t) - t;

/**
 * The first instant whose local date is `localDay` (days since 1970-01-01).
 *
 * Local midnight L maps to L − offset, but the offset in force may change right
 * around midnight. As in Temporal, take the offsets a day either side: one of
 * L − before / L − after shows 00:00 unless DST skipped midnight. When both do
 * (midnight repeated), the earlier one opens the day. When neither does, the
 * day opens at the transition itself, found by bisection.
 */
function startOfLocalDay(fmt: Intl.DateTimeFormat, localDay: number): number {
  const L = localDay * DAY;
  const before = offsetAt(fmt, L - DAY);
  const after = offsetAt(fmt, L + DAY);
  const early = L - Math.max(before, after);
  if (wallMs(fmt, early) === L) return early;
  const late = L - Math.min(before, after);
  if (late !== early && wallMs(fmt, late) === L) return late;
  return firstInstantAtOrAfter(fmt, L);
}

/** Bisection over whole seconds for the first instant whose wall clock reads ≥ L. */
function firstInstantAtOrAfter(fmt: Intl.DateTimeFormat, L: number): number {
  let lo = (L - MAX_OFFSET) / SECOND; // wall clock < L here in every zone
  let hi = (L + MAX_OFFSET) / SECOND; // wall clock ≥ L here
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMs(fmt, mid * SECOND) >= L) hi = mid;
    else lo = mid;
  }
  return hi * SECOND;
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** The local days [first, next) of the window that contains local day `d`. */
function windowDays(period: Period, d: number): readonly [number, number] {
  switch (period) {
    case 'Daily':
      return [d, d + 1];
    case 'Weekly': {
      const monday = d - mod(d + 3, 7); // 1970-01-01 was a Thursday, 3 days after a Monday
      return [monday, monday + 7];
    }
    case 'Monthly': {
      const date = new Date(d * DAY);
      const first = d - (date.getUTCDate() - 1);
      return [first, date.setUTCMonth(date.getUTCMonth() + 1, 1) / DAY];
    }
    default:
      // Periods also arrive from the database and YAML, past the type checker.
      throw new RangeError(`Unknown budget period ${JSON.stringify(period satisfies never)}: expected Daily, Weekly or Monthly`);
  }
}

function computeSpan(fmt: Intl.DateTimeFormat, period: Period, t: number): Span {
  const [first, next] = windowDays(period, Math.floor(wallMs(fmt, t) / DAY));
  const start = startOfLocalDay(fmt, first);
  const end = startOfLocalDay(fmt, next);
  // A transition that crosses midnight backwards (America/St_Johns fell back at
  // 00:01 until 2011) shows yesterday's date after today began: such an instant
  // belongs to the window that has already started, so windows stay contiguous.
  if (t >= end) return { start: end, end: startOfLocalDay(fmt, windowDays(period, next)[1]) };
  return { start, end };
}

/** The window of `period` in `timeZone` that contains `at`: [start, end). */
export function periodWindow(period: Period, timeZone: string, at: Date): PeriodWindow {
  const z = zone(timeZone);
  if (!z) throw new RangeError(`Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as "Europe/Paris" or "UTC"`);
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('periodWindow needs a valid Date, got Invalid Date');
  let span = z.last.get(period);
  if (!span || t < span.start || t >= span.end) {
    span = computeSpan(z.fmt, period, t);
    z.last.set(period, span);
  }
  return { start: new Date(span.start), end: new Date(span.end) };
}
