import { describe, expect, it } from 'vitest';
import { isValidTimeZone, periodWindow, type Period, type PeriodWindow } from './period.ts';

const iso = (w: PeriodWindow) => [w.start.toISOString(), w.end.toISOString()];
const hours = (w: PeriodWindow) => (w.end.getTime() - w.start.getTime()) / 3_600_000;
const at = (s: string) => new Date(s);
const PERIODS: readonly Period[] = ['Daily', 'Weekly', 'Monthly'];

// An oracle independent of period.ts: the zone's wall clock as text.
const clocks = new Map<string, Intl.DateTimeFormat>();
function local(timeZone: string, t: number): { date: string; time: string; weekday: string } {
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    clocks.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, weekday: p.weekday ?? '' };
}

/** What every window must satisfy, checked against the oracle: a list of what is wrong. */
function problems(period: Period, timeZone: string, w: PeriodWindow, t: number): string[] {
  const start = w.start.getTime();
  const open = local(timeZone, start);
  const justBefore = local(timeZone, start - 1000);
  const what = `${timeZone} ${period} ${iso(w).join('..')}`;
  return [
    !(start <= t && t < w.end.getTime()) && `${what} does not contain ${new Date(t).toISOString()}`,
    // Opens at local midnight, or right after 23:59:59 when DST skips midnight.
    open.time !== '00:00:00' && justBefore.time !== '23:59:59' && `${what} opens at ${open.time}`,
    justBefore.date === open.date && `${what} opens mid-day`,
    period === 'Weekly' && open.weekday !== 'Mon' && `${what} opens on ${open.weekday}`,
    period === 'Monthly' && !open.date.endsWith('-01') && `${what} opens on ${open.date}`,
  ].filter((x) => x !== false);
}

/** Consecutive windows from `from` until `until`; each must be well formed and start where the last ended. */
function walk(period: Period, timeZone: string, from: string, until: string): PeriodWindow[] {
  const out: PeriodWindow[] = [];
  const wrong: string[] = [];
  let t = Date.parse(from);
  while (t < Date.parse(until)) {
    const w = periodWindow(period, timeZone, new Date(t));
    wrong.push(...problems(period, timeZone, w, t));
    const prev = out.at(-1);
    if (prev && w.start.getTime() !== prev.end.getTime()) wrong.push(`${timeZone} ${period}: gap or overlap at ${prev.end.toISOString()}`);
    out.push(w);
    t = w.end.getTime();
  }
  expect(wrong).toEqual([]);
  return out;
}

describe('periodWindow in UTC', () => {
  it('daily, weekly from Monday, monthly', () => {
    expect(iso(periodWindow('Daily', 'UTC', at('2026-11-22T17:00:00Z')))).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    // 2026-11-22 is a Sunday: its week started Monday the 16th.
    expect(iso(periodWindow('Weekly', 'UTC', at('2026-11-22T17:00:00Z')))).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect(iso(periodWindow('Weekly', 'UTC', at('2026-11-23T00:00:00Z')))).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    expect(iso(periodWindow('Monthly', 'UTC', at('2026-02-14T12:00:00Z')))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(iso(periodWindow('Monthly', 'UTC', at('2026-12-31T23:59:59Z')))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(iso(periodWindow('Monthly', 'UTC', at('2028-02-29T12:00:00Z')))).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
  });

  it('a week spans the new year', () => {
    // 2026-12-31 is a Thursday.
    expect(iso(periodWindow('Weekly', 'UTC', at('2026-12-31T10:00:00Z')))).toEqual(['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
  });

  it('an instant exactly on a boundary belongs to the new window, one ms earlier to the old', () => {
    for (const period of PERIODS) {
      const w = periodWindow(period, 'UTC', at('2026-11-18T09:00:00Z'));
      expect(periodWindow(period, 'UTC', w.end).start.getTime()).toBe(w.end.getTime());
      expect(iso(periodWindow(period, 'UTC', new Date(w.end.getTime() - 1)))).toEqual(iso(w));
      expect(periodWindow(period, 'UTC', w.start).start.getTime()).toBe(w.start.getTime());
    }
    // Before 1970 too, where epoch milliseconds are negative.
    expect(iso(periodWindow('Daily', 'UTC', at('1969-12-31T23:59:59.999Z')))).toEqual(['1969-12-31T00:00:00.000Z', '1970-01-01T00:00:00.000Z']);
  });
});

describe('periodWindow in America/New_York', () => {
  const NY = 'America/New_York';
  it('starts at local midnight: 05:00Z in winter, 04:00Z in summer', () => {
    expect(iso(periodWindow('Daily', NY, at('2026-01-15T12:00:00Z')))).toEqual(['2026-01-15T05:00:00.000Z', '2026-01-16T05:00:00.000Z']);
    expect(iso(periodWindow('Daily', NY, at('2026-07-15T12:00:00Z')))).toEqual(['2026-07-15T04:00:00.000Z', '2026-07-16T04:00:00.000Z']);
    // 03:00Z on Jan 16 is still Jan 15 in New York.
    expect(periodWindow('Daily', NY, at('2026-01-16T03:00:00Z')).start.toISOString()).toBe('2026-01-15T05:00:00.000Z');
  });

  it('spring-forward day is 23 h, fall-back day is 25 h', () => {
    const spring = periodWindow('Daily', NY, at('2026-03-08T15:00:00Z'));
    expect(iso(spring)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(hours(spring)).toBe(23);
    const fall = periodWindow('Daily', NY, at('2026-11-01T15:00:00Z'));
    expect(iso(fall)).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(hours(fall)).toBe(25);
  });

  it('weeks across a DST change are 167 h and 169 h', () => {
    const spring = periodWindow('Weekly', NY, at('2026-03-05T12:00:00Z'));
    expect(iso(spring)).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(hours(spring)).toBe(167);
    const fall = periodWindow('Weekly', NY, at('2026-10-29T12:00:00Z'));
    expect(iso(fall)).toEqual(['2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(hours(fall)).toBe(169);
  });

  it('March 2026 runs from 05:00Z on the 1st to 04:00Z on April 1st', () => {
    expect(iso(periodWindow('Monthly', NY, at('2026-03-20T00:00:00Z')))).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z']);
  });

  it('December rolls into the next year', () => {
    expect(iso(periodWindow('Monthly', NY, at('2026-12-31T23:00:00Z')))).toEqual(['2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
    // 02:00Z on Jan 1 is still New Year's Eve in New York.
    expect(iso(periodWindow('Daily', NY, at('2027-01-01T02:00:00Z')))).toEqual(['2026-12-31T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
    expect(periodWindow('Monthly', NY, at('2027-01-01T05:00:00Z')).start.toISOString()).toBe('2027-01-01T05:00:00.000Z');
  });

  it('consecutive windows through 2026 tile the year with no gap or overlap', () => {
    const days = walk('Daily', NY, '2026-01-01T05:00:00Z', '2027-01-01T05:00:00Z');
    expect(days).toHaveLength(365);
    expect(days.map(hours).filter((h) => h !== 24)).toEqual([23, 25]);
    expect(walk('Monthly', NY, '2026-01-01T05:00:00Z', '2027-01-01T05:00:00Z')).toHaveLength(12);
  });
});

describe('fractional offsets', () => {
  it('Asia/Kolkata (+05:30)', () => {
    expect(iso(periodWindow('Daily', 'Asia/Kolkata', at('2026-06-01T12:00:00Z')))).toEqual(['2026-05-31T18:30:00.000Z', '2026-06-01T18:30:00.000Z']);
    expect(periodWindow('Monthly', 'Asia/Kolkata', at('2026-05-31T19:00:00Z')).start.toISOString()).toBe('2026-05-31T18:30:00.000Z');
  });

  it('Pacific/Chatham (+12:45 in winter, +13:45 in summer)', () => {
    // 12:00Z on June 1 is 00:45 on June 2 in Chatham.
    expect(iso(periodWindow('Daily', 'Pacific/Chatham', at('2026-06-01T12:00:00Z')))).toEqual(['2026-06-01T11:15:00.000Z', '2026-06-02T11:15:00.000Z']);
    expect(iso(periodWindow('Daily', 'Pacific/Chatham', at('2026-01-15T12:00:00Z')))).toEqual(['2026-01-15T10:15:00.000Z', '2026-01-16T10:15:00.000Z']);
  });
});

describe('DST transitions at midnight', () => {
  it('America/Havana skips midnight in March (the day opens at 01:00) and repeats it in November', () => {
    const spring = periodWindow('Daily', 'America/Havana', at('2026-03-08T15:00:00Z'));
    expect(iso(spring)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(local('America/Havana', spring.start.getTime()).time).toBe('01:00:00');
    // Midnight shows at 04:00Z and again at 05:00Z: the day opens at the first.
    const fall = periodWindow('Daily', 'America/Havana', at('2026-11-01T15:00:00Z'));
    expect(iso(fall)).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(hours(fall)).toBe(25);
  });

  it('America/Santiago skips midnight in September and repeats 23:00 on the Saturday in April', () => {
    const spring = periodWindow('Daily', 'America/Santiago', at('2026-09-06T15:00:00Z'));
    expect(iso(spring)).toEqual(['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
    // At 03:00Z on April 5 clocks go from 23:59:59 back to 23:00 on the 4th: the Saturday is 25 h.
    const saturday = periodWindow('Daily', 'America/Santiago', at('2026-04-05T03:30:00Z'));
    expect(iso(saturday)).toEqual(['2026-04-04T03:00:00.000Z', '2026-04-05T04:00:00.000Z']);
    expect(periodWindow('Monthly', 'America/Santiago', at('2026-04-05T03:30:00Z')).start.toISOString()).toBe('2026-04-01T03:00:00.000Z');
  });

  it('Asia/Beirut (2024): 00:00 → 01:00 in March, 00:00 → 23:00 in October', () => {
    const spring = periodWindow('Daily', 'Asia/Beirut', at('2024-03-31T12:00:00Z'));
    expect(iso(spring)).toEqual(['2024-03-30T22:00:00.000Z', '2024-03-31T21:00:00.000Z']);
    const fall = periodWindow('Daily', 'Asia/Beirut', at('2024-10-26T21:30:00Z'));
    expect(iso(fall)).toEqual(['2024-10-25T21:00:00.000Z', '2024-10-26T22:00:00.000Z']);
  });

  it('Pacific/Apia skipped 2011-12-30 entirely: that week is six days long', () => {
    expect(iso(periodWindow('Daily', 'Pacific/Apia', at('2011-12-30T09:00:00Z')))).toEqual(['2011-12-29T10:00:00.000Z', '2011-12-30T10:00:00.000Z']);
    expect(iso(periodWindow('Daily', 'Pacific/Apia', at('2011-12-30T10:00:00Z')))).toEqual(['2011-12-30T10:00:00.000Z', '2011-12-31T10:00:00.000Z']);
    expect(hours(periodWindow('Weekly', 'Pacific/Apia', at('2011-12-28T00:00:00Z')))).toBe(144);
  });

  it('America/St_Johns (2000) fell back from 00:01 to 23:01: the repeated hour stays in the day that had begun', () => {
    // 03:00Z on Oct 29 reads 23:29 on the 28th, after Sunday the 29th already began at 02:30Z.
    const w = periodWindow('Daily', 'America/St_Johns', at('2000-10-29T03:00:00Z'));
    expect(iso(w)).toEqual(['2000-10-29T02:30:00.000Z', '2000-10-30T03:30:00.000Z']);
    expect(iso(periodWindow('Daily', 'America/St_Johns', at('2000-10-29T02:00:00Z')))).toEqual(['2000-10-28T02:30:00.000Z', '2000-10-29T02:30:00.000Z']);
    walk('Daily', 'America/St_Johns', '2000-10-20T12:00:00Z', '2000-11-05T00:00:00Z');
  });

  it('historical zones with midnight transitions tile every day for years', () => {
    for (const [zone, from, until] of [
      ['America/Havana', '2019-01-01', '2027-01-01'],
      ['America/Santiago', '2019-01-01', '2027-01-01'],
      ['Asia/Beirut', '2019-01-01', '2025-01-01'],
      ['America/St_Johns', '1999-01-01', '2012-01-01'],
      ['Pacific/Apia', '2011-06-01', '2012-06-01'],
      ['Pacific/Kiritimati', '1994-06-01', '1995-06-01'],
      ['Asia/Manila', '1844-12-01', '1845-02-01'],
    ] as const) {
      walk('Daily', zone, `${from}T00:00:00Z`, `${until}T00:00:00Z`);
      walk('Weekly', zone, `${from}T00:00:00Z`, `${until}T00:00:00Z`);
    }
  });
});

describe('every zone the runtime knows', () => {
  it('tiles 2026 with well-formed weeks and months, and the days of any week that is not 168 h', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      walk('Monthly', zone, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
      for (const week of walk('Weekly', zone, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')) {
        if (hours(week) === 168) continue;
        const days = walk('Daily', zone, week.start.toISOString(), week.end.toISOString());
        expect(days).toHaveLength(7);
        expect(days.at(-1)?.end.getTime()).toBe(week.end.getTime());
      }
    }
  });
});

describe('validation', () => {
  it('knows IANA names and aliases, in any case', () => {
    for (const z of ['UTC', 'Etc/UTC', 'America/New_York', 'america/new_york', 'Asia/Calcutta', 'Europe/Kyiv']) expect(isValidTimeZone(z), z).toBe(true);
    for (const z of ['', 'Mars/Olympus', 'America/New York', 'GMT+25']) expect(isValidTimeZone(z), z).toBe(false);
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false); // Intl would read it as the host zone
  });

  it('an unknown zone, an invalid Date or an unknown period is a RangeError', () => {
    expect(() => periodWindow('Daily', 'Mars/Olympus', new Date())).toThrow(RangeError);
    expect(() => periodWindow('Daily', 'Mars/Olympus', new Date())).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => periodWindow('Daily', 'UTC', new Date(Number.NaN))).toThrow(RangeError);
    expect(() => periodWindow('Yearly' as Period, 'UTC', new Date())).toThrow(/Unknown budget period "Yearly"/);
  });
});

describe('memoization', () => {
  const far = new Date('1990-06-15T12:00:00Z');
  // Computing a window far away first replaces the memo, so the next call computes afresh.
  const fresh = (p: Period, zone: string, t: number) => {
    periodWindow(p, zone, far);
    return iso(periodWindow(p, zone, new Date(t)));
  };

  it('never returns a stale window: a forward walk across many boundaries matches fresh computation', () => {
    for (const zone of ['America/New_York', 'America/Santiago', 'Pacific/Chatham']) {
      for (const p of PERIODS) {
        // Irregular steps across DST changes, plus the instants either side of every boundary met.
        const instants = new Set<number>();
        for (let t = Date.parse('2026-02-20T00:00:00Z'); t < Date.parse('2026-11-15T00:00:00Z'); t += 7 * 3_600_000 + 13 * 60_000 + 1) {
          instants.add(t);
          const w = periodWindow(p, zone, new Date(t));
          for (const b of [w.start.getTime(), w.end.getTime()]) instants.add(b - 1).add(b);
        }
        const ts = [...instants].sort((a, b) => a - b);
        const expected = ts.map((t) => fresh(p, zone, t));
        periodWindow(p, zone, far);
        expect(ts.map((t) => iso(periodWindow(p, zone, new Date(t)))), `${zone} ${p}`).toEqual(expected);
      }
    }
  });

  it('going back in time recomputes rather than reusing the later window', () => {
    const later = periodWindow('Daily', 'UTC', at('2026-05-02T12:00:00Z'));
    const earlier = periodWindow('Daily', 'UTC', at('2026-05-01T12:00:00Z'));
    expect(earlier.end.getTime()).toBe(later.start.getTime());
  });

  it('a caller mutating a returned Date cannot corrupt the memo', () => {
    const w = periodWindow('Daily', 'UTC', at('2026-05-01T12:00:00Z'));
    w.start.setTime(0);
    w.end.setTime(0);
    expect(iso(periodWindow('Daily', 'UTC', at('2026-05-01T13:00:00Z')))).toEqual(['2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z']);
  });
});
