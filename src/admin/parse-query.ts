import type { z } from 'zod';
import { describeIssues } from '../reports/spend-report.schema.ts';
import { AdminError } from './admin-errors.ts';

/** zod at the edge: a query that does not parse is a 400 that says what is wrong. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new AdminError('invalid_query', `Invalid query: ${describeIssues(result.error)}.`);
  return result.data;
}
