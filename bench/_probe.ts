import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { buildIndex } from '../src/policy/build-index.ts';
import { loadPolicySnapshot } from '../src/policy/policy-snapshot.repository.ts';
import { runSliced, timeSlicer } from '../src/policy/slicer.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { seedCompany } from './policy-seed.ts';

const gcs: { kind: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ kind: (e as unknown as { detail: { kind: number } }).detail.kind, ms: e.duration });
}).observe({ entryTypes: ['gc'] });
const database = await createTestDatabase();
const N = Number(process.argv[2] ?? 50000);
try {
  await seedCompany(database.handle.db, N, N / 100);
  for (let round = 0; round < 4; round++) {
    gcs.length = 0;
    let h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    let t = performance.now();
    const snapshot = await loadPolicySnapshot(database.handle.db);
    const loadMs = performance.now() - t;
    h.disable();
    const loadBlock = h.max / 1e6;
    const gcLoad = gcs.splice(0).filter((g) => g.ms > 3).map((g) => `${g.kind}:${g.ms.toFixed(0)}`);
    const slicer = timeSlicer(5);
    let longest = 0;
    const steps = buildIndex(snapshot, slicer);
    h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    t = performance.now();
    slicer.reset();
    for (;;) {
      const s = performance.now();
      const step = steps.next();
      longest = Math.max(longest, performance.now() - s);
      if (step.done) break;
      await new Promise<void>((r) => setImmediate(r));
      slicer.reset();
    }
    const buildMs = performance.now() - t;
    await new Promise((r) => setTimeout(r, 50));
    h.disable();
    console.log({ loadMs: Math.round(loadMs), loadBlock: Math.round(loadBlock), gcLoad, buildMs: Math.round(buildMs), buildBlock: Math.round(h.max / 1e6), longestSliceMs: longest.toFixed(1), gcBuild: gcs.filter((g) => g.ms > 3).map((g) => `${g.kind}:${g.ms.toFixed(0)}`) });
  }
} finally {
  await database.drop();
}
