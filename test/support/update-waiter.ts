/**
 * Waits for a condition that policy updates make true: checked after every update, so a
 * test waits for the event itself (no sleeping), with a deadline in case it never comes.
 */
export function updateWaiter() {
  let wake: (() => void) | null = null;
  return {
    /** Call from the store's onUpdate. */
    notify() {
      wake?.();
    },
    async until(condition: () => boolean, deadlineMs: number): Promise<void> {
      const deadline = Date.now() + deadlineMs;
      while (!condition()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`condition not met within ${deadlineMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    },
  };
}
