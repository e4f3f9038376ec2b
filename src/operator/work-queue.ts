// A de-duplicated keyed work queue: a key waiting or being processed is held once;
// a failed key comes back after an exponential back-off; a key is never processed
// by two workers at once (re-added while in flight, it runs again afterwards).

export interface WorkQueue {
  add(key: string): void;
  /** Re-queues after a back-off that doubles with each consecutive failure of the key. */
  retry(key: string): void;
  forget(key: string): void;
  /** Takes no more work; resolves when the work in flight has finished. */
  stop(): Promise<void>;
  readonly size: () => number;
}

export interface WorkQueueOptions {
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly concurrency?: number;
}

export function createWorkQueue(process: (key: string) => Promise<void>, options: WorkQueueOptions = {}): WorkQueue {
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 60_000;
  const concurrency = options.concurrency ?? 2;
  const queued = new Set<string>();
  const order: string[] = [];
  const active = new Set<string>();
  const dirty = new Set<string>();
  const failures = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const pump = () => {
    while (!stopped && active.size < concurrency) {
      const index = order.findIndex((k) => !active.has(k));
      if (index === -1) return;
      const [key] = order.splice(index, 1) as [string];
      queued.delete(key);
      active.add(key);
      const work: Promise<void> = process(key)
        .catch(() => undefined)
        .finally(() => {
          running.delete(work);
          active.delete(key);
          if (dirty.delete(key)) queue.add(key);
          pump();
        });
      running.add(work);
    }
  };

  const queue: WorkQueue = {
    add(key) {
      if (stopped) return;
      if (active.has(key)) {
        dirty.add(key);
        return;
      }
      if (queued.has(key)) return;
      queued.add(key);
      order.push(key);
      pump();
    },
    retry(key) {
      const n = (failures.get(key) ?? 0) + 1;
      failures.set(key, n);
      const timer = setTimeout(() => {
        timers.delete(timer);
        queue.add(key);
      }, Math.min(max, base * 2 ** (n - 1)));
      timers.add(timer);
    },
    forget(key) {
      failures.delete(key);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all([...running]);
    },
    size: () => queued.size + active.size,
  };
  return queue;
}
