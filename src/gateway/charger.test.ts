// The charger's batching and its retries while Postgres is away, with an injected clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createCharger, type ChargeEvents, type SettleBatch, type SettleResult } from './charge.ts';

const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), {});
const constraint = () => Object.assign(new Error('new row violates check constraint'), { code: '23514' });

function recorder() {
  const settled: { result: SettleResult; id: string }[] = [];
  const errors: { ids: readonly string[]; willRetry: boolean }[] = [];
  const events: ChargeEvents = {
    onSettled: (result, s) => void settled.push({ result, id: s.requestId }),
    onError: (_e, ids, willRetry) => void errors.push({ ids, willRetry }),
  };
  return { settled, errors, events };
}

/** A fake database: `down` makes every write fail; `committed` is the set of settled ids. */
function fakeDb() {
  const committed = new Set<string>();
  const calls: string[][] = [];
  const state = { down: false, poison: new Set<string>() };
  const settle: SettleBatch = async (batch) => {
    calls.push(batch.map((s) => s.requestId));
    if (state.down) throw connectionLost();
    if (batch.some((s) => state.poison.has(s.requestId))) throw constraint();
    const mine = new Set<string>();
    for (const s of batch) {
      if (!committed.has(s.requestId)) {
        committed.add(s.requestId);
        mine.add(s.requestId);
      }
    }
    return mine;
  };
  return { settle, committed, calls, state };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createCharger', () => {
  it('writes settlements that arrive within the delay in one batch', async () => {
    const db = fakeDb();
    const r = recorder();
    const charger = createCharger(db.settle, r.events, { delayMs: 10 });
    const done = Promise.all(['a', 'b', 'c'].map((id) => charger.release(id, 503)));
    expect(charger.hasPending()).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(db.calls).toEqual([['a', 'b', 'c']]);
    expect(r.settled.map((s) => s.result)).toEqual(['ok', 'ok', 'ok']);
    expect(charger.hasPending()).toBe(false);
  });

  it('keeps failed settlements in memory and retries them until Postgres is back, once each', async () => {
    const db = fakeDb();
    const r = recorder();
    const charger = createCharger(db.settle, r.events, { delayMs: 0, now: () => Date.now() });
    db.state.down = true;
    let finished = false;
    const done = charger.release('a', 503).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(finished).toBe(false);
    expect(db.calls.length).toBeGreaterThan(3); // retried with backoff
    expect(r.errors.every((e) => e.willRetry)).toBe(true);
    db.state.down = false;
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(r.settled).toEqual([{ result: 'ok', id: 'a' }]);
    expect([...db.committed]).toEqual(['a']);
  });

  it('a retry after a commit whose acknowledgement was lost settles nothing twice', async () => {
    const db = fakeDb();
    const r = recorder();
    let lose = true;
    // The write commits, then the connection dies before the answer arrives.
    const settle: SettleBatch = async (batch) => {
      const result = await db.settle(batch);
      if (lose) {
        lose = false;
        throw connectionLost();
      }
      return result;
    };
    const charger = createCharger(settle, r.events, { delayMs: 0 });
    const done = charger.release('a', 503);
    await vi.advanceTimersByTimeAsync(500);
    await done;
    expect(db.calls).toEqual([['a'], ['a']]);
    expect(r.settled).toEqual([{ result: 'duplicate', id: 'a' }]);
    expect([...db.committed]).toEqual(['a']);
  });

  it('gives up at the reservation deadline and leaves the reservation to the sweeper', async () => {
    const db = fakeDb();
    const r = recorder();
    const charger = createCharger(db.settle, r.events, { delayMs: 0, retryForMs: 5_000, now: () => Date.now() });
    db.state.down = true;
    const done = charger.release('a', 503);
    await vi.advanceTimersByTimeAsync(6_000);
    await done;
    expect(r.settled).toEqual([{ result: 'failed', id: 'a' }]);
    expect(r.errors.at(-1)).toEqual({ ids: ['a'], willRetry: false });
    db.state.down = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(db.committed.size).toBe(0);
  });

  it('a settlement Postgres rejects for itself does not hold back the rest of its batch', async () => {
    const db = fakeDb();
    const r = recorder();
    db.state.poison.add('bad');
    const charger = createCharger(db.settle, r.events, { delayMs: 10 });
    const done = Promise.all(['a', 'bad', 'b'].map((id) => charger.release(id, 503)));
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(r.settled).toEqual(
      expect.arrayContaining([
        { result: 'ok', id: 'a' },
        { result: 'ok', id: 'b' },
        { result: 'failed', id: 'bad' },
      ]),
    );
    expect(r.errors).toEqual([{ ids: ['bad'], willRetry: false }]);
  });

  it('settlePending writes at once instead of waiting for the batch delay', async () => {
    const db = fakeDb();
    const charger = createCharger(db.settle, recorder().events, { delayMs: 1_000 });
    void charger.release('a', 503);
    await charger.settlePending();
    expect([...db.committed]).toEqual(['a']);
    expect(charger.hasPending()).toBe(false);
  });

  it('drain retries for a bounded time, then hands what is left to the sweeper', async () => {
    const db = fakeDb();
    const r = recorder();
    const charger = createCharger(db.settle, r.events, { delayMs: 0, now: () => Date.now() });
    db.state.down = true;
    void charger.release('a', 503);
    const drained = charger.drain(1_000);
    await vi.advanceTimersByTimeAsync(1_500);
    await drained;
    expect(r.settled).toEqual([{ result: 'failed', id: 'a' }]);
    expect(charger.hasPending()).toBe(false);
  });
});

