import { describe, expect, it } from 'vitest';
import { monthSegments } from './spend-report.ts';

describe('a range cut at month boundaries', () => {
  it('marks whole months and the parts that reach a month end (where adjustments are dated)', () => {
    expect(monthSegments('2026-01-15', '2026-03-31')).toEqual([
      { month: '2026-01', from: '2026-01-15', to: '2026-01-31', whole: false, reachesEnd: true },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28', whole: true, reachesEnd: true },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-31', whole: true, reachesEnd: true },
    ]);
    expect(monthSegments('2026-03-01', '2026-03-10')).toEqual([{ month: '2026-03', from: '2026-03-01', to: '2026-03-10', whole: false, reachesEnd: false }]);
  });

  it('ends at the last month, even at the end of year 9999', () => {
    expect(monthSegments('9999-11-20', '9999-12-31').map((s) => s.month)).toEqual(['9999-11', '9999-12']);
  });
});
