/**
 * Counts requests on the proxy routes from arrival until their response has ended (a stream
 * to its last byte). Above `max` the gateway sheds at once (503 + Retry-After) instead of
 * letting requests queue behind the upstream connection pool or the event loop.
 */
export interface InFlight {
  readonly max: number;
  current(): number;
  /** Counts one more request; false (and nothing counted) when the maximum is reached. */
  tryAcquire(): boolean;
  release(): void;
}

export function createInFlight(max: number): InFlight {
  let count = 0;
  return {
    max,
    current: () => count,
    tryAcquire() {
      if (count >= max) return false;
      count++;
      return true;
    },
    release() {
      if (count > 0) count--;
    },
  };
}
