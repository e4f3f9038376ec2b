import { describe, expect, it } from 'vitest';
import { worthReconciling } from './event-filter.ts';

const obj = (generation: number, extra: Record<string, unknown> = {}) => ({ metadata: { generation, finalizers: ['stipend.dev/cleanup'], ...extra } });

describe('worthReconciling', () => {
  it('skips updates that only changed status (same generation, finalizer in place)', () => {
    expect(worthReconciling('update', obj(3), 3)).toBe(false);
  });
  it('reconciles adds, deletes, new generations, deletions requested and a missing finalizer', () => {
    expect(worthReconciling('add', obj(3), 3)).toBe(true);
    expect(worthReconciling('delete', obj(3), 3)).toBe(true);
    expect(worthReconciling('update', obj(4), 3)).toBe(true);
    expect(worthReconciling('update', obj(3), undefined)).toBe(true);
    expect(worthReconciling('update', obj(3, { deletionTimestamp: '2026-01-01T00:00:00Z' }), 3)).toBe(true);
    expect(worthReconciling('update', obj(3, { finalizers: [] }), 3)).toBe(true);
  });
});
