// Many concurrent long streams through one process: time to first byte and peak memory.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { percentile } from './load.ts';

export interface StreamsResult {
  readonly streams: number;
  readonly ok: number;
  readonly errors: number;
  /** What the errors were: status codes, or the client-side error's code. */
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly ttfbP50: number;
  readonly ttfbP99: number;
  /** Time for the whole stream, median (the mock paces chunks, so this is mostly its pacing). */
  readonly durationP50: number;
  readonly peakRssMb: number;
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Opens `n` streams at once against `origin` and waits for all to end, sampling the server process's RSS. */
export async function concurrentStreams(origin: string, path: string, keys: readonly string[], body: string, n: number, serverPid: number): Promise<StreamsResult> {
  const client = new Agent({ connections: null, keepAliveTimeout: 1000, headersTimeout: 120_000, bodyTimeout: 120_000 });
  let peak = rssMb(serverPid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(serverPid))), 200);
  const ttfb: number[] = [];
  const durations: number[] = [];
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const start = performance.now();
      try {
        const res = await request(`${origin}${path}`, {
          method: 'POST',
          dispatcher: client,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[i % keys.length]}` },
          body,
        });
        let first = 0;
        for await (const _ of res.body) if (first === 0) first = performance.now() - start;
        if (res.statusCode !== 200) throw Object.assign(new Error(`status ${res.statusCode}`), { code: String(res.statusCode) });
        ttfb.push(first);
        durations.push(performance.now() - start);
      } catch (error) {
        errors++;
        const kind = String((error as { code?: unknown }).code ?? (error as Error).name);
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
    }),
  );
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(serverPid));
  await client.close();
  return {
    streams: n,
    ok: ttfb.length,
    errors,
    errorKinds,
    ttfbP50: percentile(ttfb, 50),
    ttfbP99: percentile(ttfb, 99),
    durationP50: percentile(durations, 50),
    peakRssMb: peak,
  };
}
