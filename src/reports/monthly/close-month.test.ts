import { describe, expect, it } from 'vitest';
import type { CloseRecord } from '../books/period-closes.repository.ts';
import { checkOrder, closableAt, CloseRefusedError } from './close-month.ts';

const closed = (month: string) => ({ month }) as CloseRecord;

describe('when a month may close', () => {
  it('after its local end plus the grace', () => {
    expect(closableAt('2026-03', 'UTC', 86_400_000).toISOString()).toBe('2026-04-02T00:00:00.000Z');
    expect(closableAt('2026-03', 'America/New_York', 3_600_000).toISOString()).toBe('2026-04-01T05:00:00.000Z');
    expect(closableAt('2026-12', 'Pacific/Auckland', 86_400_000).toISOString()).toBe('2027-01-01T11:00:00.000Z');
  });

  it('in order: the first close starts the books, then the month after the last', () => {
    expect(() => checkOrder([], '2026-03')).not.toThrow();
    expect(() => checkOrder([closed('2026-02')], '2026-03')).not.toThrow();
    expect(() => checkOrder([closed('2026-12')], '2027-01')).not.toThrow();
    expect(() => checkOrder([closed('2026-02')], '2026-04')).toThrow('2026-04 cannot be closed before 2026-03');
    expect(() => checkOrder([closed('2026-02'), closed('2026-03')], '2026-01')).toThrow(CloseRefusedError);
  });
});
