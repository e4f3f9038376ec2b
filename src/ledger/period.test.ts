import { describe, expect, it } from 'vitest';
import { isValidTimeZone, periodWindow, type Period } from './period.ts';

const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];
const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / 3_600_000;
const at = (s: string) => new Date(s);

describe('periodWindow in UTC', () => {
  it('daily, weekly from Monday, monthly', () => {
    expect(iso(periodWindow('Daily', 'UTC', at('2026-11-22T17:00:00Z')))).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    // 2026-11-22 is a Sunday: its week started Monday the 16th.
    expect(iso(periodWindow('Weekly', 'UTC', at('2026-11-22T17:00:00Z')))).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect(iso(periodWindow('Weekly', 'UTC', at('2026-11-23T00:00:00Z')))).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    expect(iso(periodWindow('Monthly', 'UTC', at('2026-02-14T12:00:00Z')))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(iso(periodWindow('Monthly', 'UTC', at('2026-12-31T23:59:59Z')))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('an instant exactly on a boundary belongs to the new window', () => {
    expect(periodWindow('Daily', 'UTC', at('2026-11-23T00:00:00Z')).start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
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
    expect(hours(periodWindow('Weekly', NY, at('2026-03-05T12:00:00Z')))).toBe(167);
    expect(hours(periodWindow('Weekly', NY, at('2026-10-29T12:00:00Z')))).toBe(169);
  });

  it('March 2026 runs from 05:00Z on the 1st to 04:00Z on April 1st', () => {
    expect(iso(periodWindow('Monthly', NY, at('2026-03-20T00:00:00Z')))).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z']);
  });

  it('December rolls into the next year', () => {
    expect(iso(periodWindow('Monthly', NY, at('2026-12-31T23:00:00Z')))).toEqual(['2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
  });
});

describe('other zones', () => {
  it('half-hour and 45-minute offsets', () => {
    expect(periodWindow('Daily', 'Asia/Kolkata', at('2026-06-01T12:00:00Z')).start.toISOString()).toBe('2026-05-31T18:30:00.000Z');
    expect(periodWindow('Daily', 'Pacific/Chatham', at('2026-06-01T12:00:00Z')).start.toISOString()).toBe('2026-06-01T11:15:00.000Z');
  });

  it('a zone whose midnight is skipped starts the day at its first instant', () => {
    // America/Santiago sprang forward at 00:00 local on 2026-09-06: the day starts at 01:00 local (04:00Z).
    const w = periodWindow('Daily', 'America/Santiago', at('2026-09-06T15:00:00Z'));
    expect(w.start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(hours(w)).toBe(23);
  });

  it('rejects an unknown zone', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => periodWindow('Daily', 'Mars/Olympus', new Date())).toThrow(RangeError);
  });

  it('memoization never returns a stale window', () => {
    const periods: Period[] = ['Daily', 'Weekly', 'Monthly'];
    let t = Date.parse('2026-02-27T00:00:00Z');
    for (let i = 0; i < 2000; i++, t += 97 * 60_000) {
      for (const p of periods) {
        const w = periodWindow(p, 'America/New_York', new Date(t));
        expect(w.start.getTime()).toBeLessThanOrEqual(t);
        expect(w.end.getTime()).toBeGreaterThan(t);
      }
    }
  });
});
