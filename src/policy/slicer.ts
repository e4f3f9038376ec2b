import { performance } from 'node:perf_hooks';

/**
 * Decides when a long computation gives the event loop back: after `budgetMs` of work in
 * one go (0: after every unit). Work is cut by time, not by count, because what a unit
 * costs varies with the policy's shape and with the machine's load.
 */
export interface Slicer {
  /** True when the current slice has used its time: the computation should yield now. */
  due(): boolean;
  /** A new slice starts (called after the event loop had its turn). */
  reset(): void;
}

export function timeSlicer(budgetMs: number): Slicer {
  let start = performance.now();
  return {
    due: () => budgetMs === 0 || performance.now() - start >= budgetMs,
    reset: () => {
      start = performance.now();
    },
  };
}

/** For computations run at once (reports, alerts): never yields. */
export const noSlicing: Slicer = { due: () => false, reset: () => undefined };

/** Runs a sliced computation to the end at once. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a sliced computation, giving the event loop back whenever it yields. */
export async function runSliced<T>(steps: Generator<void, T, void>, slicer: Slicer, yieldToLoop: () => Promise<void>): Promise<T> {
  slicer.reset();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToLoop();
    slicer.reset();
  }
}
