import { Pool } from 'undici';

export interface Target {
  readonly name: string;
  readonly pool: Pool;
  readonly path: string;
  readonly headers: () => Record<string, string>;
}

/** Requests rotate over the keys: many people, as in real traffic. */
export function target(name: string, origin: string, path: string, keys: readonly string[]): Target {
  let next = 0;
  const all = keys.map((k) => ({ 'content-type': 'application/json', authorization: `Bearer ${k}` }));
  return { name, pool: new Pool(origin, { connections: 128, pipelining: 1 }), path, headers: () => all[next++ % all.length]! };
}

/** One request; resolves with total ms and time to first body byte. */
export async function once(t: Target, body: string): Promise<{ ms: number; ttfbMs: number; status: number }> {
  const start = performance.now();
  const res = await t.pool.request({ method: 'POST', path: t.path, headers: t.headers(), body });
  let ttfbMs = 0;
  for await (const _ of res.body) {
    if (ttfbMs === 0) ttfbMs = performance.now() - start;
  }
  return { ms: performance.now() - start, ttfbMs, status: res.statusCode };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Closed loop: `concurrency` workers back to back for `ms`. */
export async function closedLoop(t: Target, body: string, concurrency: number, ms: number): Promise<{ rps: number; errors: number }> {
  const until = performance.now() + ms;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const r = await once(t, body).catch(() => ({ status: 0 }));
        if (r.status === 200) done++;
        else errors++;
      }
    }),
  );
  return { rps: done / (ms / 1000), errors };
}

/** Open loop: sends at a fixed rate regardless of answers; reports achieved rate and latency. */
export async function openLoop(t: Target, body: string, rate: number, ms: number): Promise<{ achieved: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.floor((rate * ms) / 1000);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      once(t, body).then(
        (r) => {
          if (r.status === 200) latencies.push(r.ms);
          else errors++;
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  return { achieved: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}
