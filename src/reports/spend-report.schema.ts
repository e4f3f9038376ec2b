import { z } from 'zod';
import { isValidTimeZone } from '../ledger/period.ts';
import { DIMENSIONS } from './spend-report.repository.ts';

const MAX_DAYS = 3_700; // ten years: any range a finance team asks for, bounded for the day series

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-01')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

/** The report's query, as the admin API and the CLI accept it. */
export const spendQuerySchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    timeZone: z.string().default('UTC').refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris'),
    groupBy: z.enum(DIMENSIONS).default('team'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, { message: `range is longer than ${MAX_DAYS} days`, path: ['to'] });

export type SpendQuery = z.infer<typeof spendQuerySchema>;

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2026-03');
