import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue.ts';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('work queue', () => {
  it('de-duplicates keys and never runs one key twice at once', async () => {
    const seen: string[] = [];
    const running = new Set<string>();
    let overlap = false;
    const q = createWorkQueue(async (key) => {
      if (running.has(key)) overlap = true;
      running.add(key);
      seen.push(key);
      await tick(20);
      running.delete(key);
    }, { concurrency: 1 });
    q.add('a');
    q.add('b'); // waits behind a (concurrency 1)
    q.add('b'); // already queued: dropped
    await tick();
    q.add('a'); // in flight: runs once more afterwards, however often it is added
    q.add('a');
    await tick(120);
    expect(seen).toEqual(['a', 'b', 'a']);
    expect(overlap).toBe(false);
    q.stop();
  });

  it('retries with a growing back-off until forgotten', async () => {
    const times: number[] = [];
    const q = createWorkQueue(async () => {
      times.push(Date.now());
      if (times.length < 3) q.retry('k');
      else q.forget('k');
    }, { baseDelayMs: 20 });
    q.add('k');
    await tick(150);
    expect(times).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(times[1]! - times[0]! + 10);
    q.stop();
  });
});
