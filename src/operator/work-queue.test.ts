// Fake timers: the work "takes" time and back-offs elapse only when the test advances the clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkQueue } from './work-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)); // on the fake clock

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('work queue', () => {
  it('de-duplicates keys and never runs one key twice at once', async () => {
    const seen: string[] = [];
    const running = new Set<string>();
    let overlap = false;
    const q = createWorkQueue(async (key) => {
      if (running.has(key)) overlap = true;
      running.add(key);
      seen.push(key);
      await sleep(20);
      running.delete(key);
    }, { concurrency: 1 });
    q.add('a');
    q.add('b'); // waits behind a (concurrency 1)
    q.add('b'); // already queued: dropped
    await vi.advanceTimersByTimeAsync(5);
    expect(seen).toEqual(['a']);
    q.add('a'); // in flight: runs once more afterwards, however often it is added
    q.add('a');
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual(['a', 'b', 'a']);
    expect(overlap).toBe(false);
    await q.stop();
  });

  it('retries with a back-off that doubles until forgotten', async () => {
    const times: number[] = [];
    const q = createWorkQueue(async () => {
      times.push(Date.now());
      if (times.length < 4) q.retry('k');
      else q.forget('k');
    }, { baseDelayMs: 20 });
    q.add('k');
    await vi.advanceTimersByTimeAsync(1000);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([20, 40, 80]);
    await q.stop();
  });

  it('caps the back-off, and forgetting a key starts it over', async () => {
    const times: number[] = [];
    let fail = 5;
    const q = createWorkQueue(async () => {
      times.push(Date.now());
      if (--fail > 0) q.retry('k');
      else q.forget('k');
    }, { baseDelayMs: 20, maxDelayMs: 50 });
    q.add('k');
    await vi.advanceTimersByTimeAsync(1000);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([20, 40, 50, 50]);
    fail = 2;
    const before = times.length;
    q.add('k');
    await vi.advanceTimersByTimeAsync(1000);
    expect(times.slice(before + 1).map((t, i) => t - times[before + i]!)).toEqual([20]);
    await q.stop();
  });

  it('stop takes no more work and waits for the work in flight', async () => {
    let finished = false;
    const seen: string[] = [];
    const q = createWorkQueue(async (key) => {
      seen.push(key);
      await sleep(30);
      finished = true;
    }, { concurrency: 1 });
    q.add('a');
    q.add('b');
    await vi.advanceTimersByTimeAsync(5);
    const stopped = q.stop();
    await vi.advanceTimersByTimeAsync(30);
    await stopped;
    expect(finished).toBe(true);
    q.add('c');
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual(['a']);
  });
});
