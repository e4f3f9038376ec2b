// Faults a test or benchmark injects into the stand-in, one per request, in order: an error
// status (with Retry-After, as BambooHR sends when it is throttling), a slow answer, or a
// body that is not the JSON it should be.

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly message?: string }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'malformed'; readonly body: 'truncated' | 'html' | 'not-a-report' };

export interface FaultQueue {
  /** Queues `fault` for the next `times` requests (after those already queued). */
  inject(fault: Fault, times?: number): void;
  /** The fault for this request, if any. */
  next(): Fault | undefined;
  pending(): number;
  clear(): void;
}

export function faultQueue(): FaultQueue {
  const queue: Fault[] = [];
  return {
    inject(fault, times = 1) {
      for (let i = 0; i < times; i++) queue.push(fault);
    },
    next: () => queue.shift(),
    pending: () => queue.length,
    clear() {
      queue.length = 0;
    },
  };
}

/** The body a malformed answer carries. */
export function malformedBody(kind: 'truncated' | 'html' | 'not-a-report'): { readonly contentType: string; readonly body: string } {
  switch (kind) {
    case 'truncated':
      return { contentType: 'application/json; charset=utf-8', body: '{"title":"Report","fields":[{"id":"workEmail","type":"email","name":"Work Email"}],"employees":[{"id":"1","workEm' };
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
    case 'not-a-report':
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ employees: { id: 1 }, fields: 'workEmail' }) };
  }
}
