import { parseUsd } from './money.ts';
import { TOOL_FEES, type ToolFeeEntry } from './tool-fees.data.ts';

export type ToolCallKind = ToolFeeEntry['kind'];

/** Calls a response reports, by kind (absent: none). */
export type ToolCalls = Readonly<Partial<Record<ToolCallKind, number>>>;

/** Nano-dollars per call, by kind, as they apply to one request. */
export type ToolFeeRates = Readonly<Partial<Record<ToolCallKind, bigint>>>;

/** `web_search_20250305` → `web_search`; `web_search_preview_2025_03_11` → `web_search_preview`. */
export const toolFamily = (type: string): string => type.replace(/_(\d{8}|\d{4}_\d{2}_\d{2})$/, '');

/** The fee of a built-in tool for this model, or null when the provider publishes none we know of. */
export function toolFee(provider: string, type: string, model: string): { readonly kind: ToolCallKind; readonly perCallNanos: bigint } | null {
  const family = toolFamily(type);
  const entry = TOOL_FEES.find((e) => e.provider === provider && e.tool === family);
  if (!entry) return null;
  const perCall = entry.dearer && entry.dearer.models.test(model) ? entry.dearer.perCall : entry.perCall;
  return { kind: entry.kind, perCallNanos: parseUsd(perCall) };
}

/** Adds a rate, keeping the dearer one when two declared tools bill the same kind. */
export function withRate(rates: ToolFeeRates, kind: ToolCallKind, perCallNanos: bigint): ToolFeeRates {
  const current = rates[kind];
  return current !== undefined && current >= perCallNanos ? rates : { ...rates, [kind]: perCallNanos };
}

function count(value: number | undefined, kind: string): bigint {
  if (value === undefined) return 0n;
  if (!Number.isFinite(value)) throw new RangeError(`tool calls ${kind} is not a finite count: ${value}`);
  return value <= 0 ? 0n : BigInt(Math.ceil(value));
}

/**
 * What the reported calls cost at the request's rates. A kind the request did not
 * declare (a provider that reports a call anyway) is billed at its provider's listed
 * fee through `fallback`, so a reported call is never free by accident.
 */
export function toolCallsCost(rates: ToolFeeRates, calls: ToolCalls | undefined, fallback: (kind: ToolCallKind) => bigint = () => 0n): bigint {
  if (!calls) return 0n;
  let total = 0n;
  for (const [kind, n] of Object.entries(calls) as [ToolCallKind, number | undefined][]) {
    total += count(n, kind) * (rates[kind] ?? fallback(kind));
  }
  return total;
}

/** The dearest listed fee of a kind at a provider: what an undeclared but reported call is billed at. */
export function listedFee(provider: string, kind: ToolCallKind): bigint {
  return TOOL_FEES.filter((e) => e.provider === provider && e.kind === kind)
    .flatMap((e) => [e.perCall, ...(e.dearer ? [e.dearer.perCall] : [])])
    .map(parseUsd)
    .reduce((a, b) => (b > a ? b : a), 0n);
}
