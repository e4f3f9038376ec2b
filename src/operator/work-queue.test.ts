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
    await q.stop();
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
    await q.stop();
  });

  it('stop takes no more work and waits for the work in flight', async () => {
    let finished = false;
    const seen: string[] = [];
    const q = createWorkQueue(async (key) => {
      seen.push(key);
      await tick(30);
      finished = true;
    }, { concurrency: 1 });
    q.add('a');
    q.add('b');
    await tick();
    await q.stop();
    expect(finished).toBe(true);
    q.add('c');
    await tick(40);
    expect(seen).toEqual(['a']);
  });
});
