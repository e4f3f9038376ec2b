import type { ToolFeeRates } from '../pricing/tool-fees.ts';

/**
 * What a request makes the provider read and run beyond its own body: referenced input
 * (previous responses, conversations, files, documents by URL) and server-side tools.
 * docs/pricing.md ("Input outside the body") lists every feature and how it is bounded.
 */
export interface RequestReach {
  /** Why the provider reads input the body does not carry, or null. */
  readonly outside: string | null;
  /** Most server-side tool calls the request allows (each adds one model pass). */
  readonly serverToolCalls: number;
  /** Per-call fee of each kind of call the request's tools bill (for settlement). */
  readonly toolRates: ToolFeeRates;
  /** Most the per-call fees can add: calls × the dearest declared rate (reservation). */
  readonly callFeesNanos: bigint;
  /** Fees the request incurs whatever the model does (a new code container). */
  readonly fixedFeesNanos: bigint;
}

export type ReachResult =
  | { readonly ok: true; readonly reach: RequestReach }
  | { readonly ok: false; readonly message: string; readonly param: string | null };

export const NO_REACH: RequestReach = { outside: null, serverToolCalls: 0, toolRates: {}, callFeesNanos: 0n, fixedFeesNanos: 0n };

export const refuse = (message: string, param: string | null = null): ReachResult => ({ ok: false, message, param });

/** Visits every object in a JSON value (depth-first), including the root. */
export function eachObject(value: unknown, visit: (o: Readonly<Record<string, unknown>>) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v !== null && typeof v === 'object') {
      const o = v as Readonly<Record<string, unknown>>;
      visit(o);
      for (const key in o) if (typeof o[key] === 'object') stack.push(o[key]);
    }
  }
}

export const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A positive whole number of calls, or null. */
export const callCap = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
