import type { z } from 'zod';
import { describeIssues } from '../reports/spend-report.schema.ts';
import { AdminError } from './admin-errors.ts';

/**
 * Dates the reports work with: the ledger's timestamps and the time-zone arithmetic of the
 * reports are defined from 1970 through 9999 (year 0 broke them with a 500).
 */
export const EARLIEST_DATE = '1970-01-01';
export const LATEST_DATE = '9999-12-31';

/** The calendar day of a date (YYYY-MM-DD), month (YYYY-MM) or instant, for comparing with the bounds. */
function dayOf(value: string): string {
  if (/^\d{4}-\d{2}$/.test(value)) return `${value}-01`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString().slice(0, 10);
}

/**
 * zod at the edge: a query that does not parse is a 400 that says what is wrong. `dateFields`
 * name the fields holding a date, month or instant, which must lie in the supported range.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown, dateFields: readonly string[] = []): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new AdminError('invalid_query', `Invalid query: ${describeIssues(result.error)}.`);
  const data = result.data as Record<string, unknown>;
  const outside = dateFields.filter((field) => {
    const value = data[field];
    if (typeof value !== 'string') return false;
    const day = dayOf(value);
    return day < EARLIEST_DATE || day > LATEST_DATE;
  });
  if (outside.length > 0) {
    throw new AdminError('invalid_query', `Invalid query: ${outside.map((f) => `${f}: must be between ${EARLIEST_DATE} and ${LATEST_DATE}`).join('; ')}.`);
  }
  return result.data;
}
