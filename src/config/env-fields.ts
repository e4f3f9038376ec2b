// Field types the role schemas share. Every value arrives as a string (or is absent).
import { z } from 'zod';

export const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevel = (fallback: (typeof LOG_LEVELS)[number]) => z.enum(LOG_LEVELS).default(fallback);

/** "a, b,,c" → ['a', 'b', 'c']; absent → []. */
export const commaList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const emailList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
  .refine((list) => list.every((e) => z.string().email().safeParse(e).success), 'must be comma-separated email addresses');

/** True for any IANA name (or alias) the runtime's tz data knows; ledger/period.ts computes with the same data. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone');

/** A decimal USD amount, kept as text: pricing/money.ts parses it into nano-dollars. */
export const usdAmount = z.string().regex(/^\d+(\.\d{1,9})?$/, 'must be a decimal amount in USD');

/** Optional text, trimmed, where an empty value means unset (`FOO=` in a shell or a chart). */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
