import { describe, expect, it } from 'vitest';
import { DAY_MS, DEFAULT_ANOMALY_RULE, forecastPeriod, judgeDay, median, runsOutAt } from './forecast.ts';

const usd = (d: number) => BigInt(Math.round(d * 100)) * 10_000_000n;
const start = new Date('2026-03-01T00:00:00Z');
const end = new Date('2026-04-01T00:00:00Z');

describe('forecastPeriod (trailing-7-day run-rate)', () => {
  it('projects the last 7 days’ pace over the time left', () => {
    const now = new Date('2026-03-15T00:00:00Z'); // 17 days left
    const f = forecastPeriod({ periodStart: start, periodEnd: end, now, spentNanos: usd(700), recentNanos: usd(140) });
    expect(f.dailyRateNanos).toBe(usd(20));
    expect(f.projectedNanos).toBe(usd(700 + 20 * 17));
    expect(f.basisFrom.toISOString()).toBe('2026-03-08T00:00:00.000Z');
  });

  it('uses the period so far when it is shorter than 7 days', () => {
    const now = new Date(start.getTime() + 2 * DAY_MS);
    const f = forecastPeriod({ periodStart: start, periodEnd: end, now, spentNanos: usd(10), recentNanos: usd(10) });
    expect(f.dailyRateNanos).toBe(usd(5));
    expect(f.projectedNanos).toBe(usd(10 + 5 * 29));
  });

  it('is the spend itself at the start and after the end of the period', () => {
    expect(forecastPeriod({ periodStart: start, periodEnd: end, now: start, spentNanos: 0n, recentNanos: 0n }).projectedNanos).toBe(0n);
    expect(forecastPeriod({ periodStart: start, periodEnd: end, now: new Date('2026-04-03T00:00:00Z'), spentNanos: usd(9), recentNanos: usd(2) }).projectedNanos).toBe(usd(9));
  });

  it('tells when the limit is reached at that pace', () => {
    const now = new Date('2026-03-15T00:00:00Z');
    const f = forecastPeriod({ periodStart: start, periodEnd: end, now, spentNanos: usd(700), recentNanos: usd(140) });
    expect(runsOutAt(f, now, end, usd(900))?.toISOString()).toBe('2026-03-25T00:00:00.000Z');
    expect(runsOutAt(f, now, end, usd(5000))).toBeNull();
  });
});

describe('judgeDay (anomaly: > 3 × trailing 14-day median and ≥ $50)', () => {
  const steady = Array.from({ length: 14 }, (_, i) => usd(i % 7 >= 5 ? 0 : 30)); // weekdays $30, weekends $0
  it('median of zero-filled days', () => {
    expect(median(steady)).toBe(usd(30));
    expect(median([3n, 1n, 2n, 10n])).toBe(2n);
  });
  it('flags a day far above the median and above the floor', () => {
    expect(judgeDay(usd(95), steady, DEFAULT_ANOMALY_RULE)).toMatchObject({ anomalous: true, medianNanos: usd(30), lineNanos: usd(90) });
    expect(judgeDay(usd(90), steady, DEFAULT_ANOMALY_RULE).anomalous).toBe(false); // not *above* 3×
  });
  it('needs the floor: tiny spenders do not page anyone', () => {
    const tiny = steady.map((v) => v / 100n);
    expect(judgeDay(usd(40), tiny, DEFAULT_ANOMALY_RULE)).toMatchObject({ anomalous: false, lineNanos: usd(50) });
  });
  it('needs 7 days of history for a baseline', () => {
    const recent = Array.from({ length: 14 }, (_, i) => (i >= 9 ? usd(10) : 0n)); // first spend 5 days back
    expect(judgeDay(usd(500), recent, DEFAULT_ANOMALY_RULE).anomalous).toBe(false);
  });
});
