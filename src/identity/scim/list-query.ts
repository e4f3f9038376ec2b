import { z } from 'zod';
import { checkFilter } from './filter/evaluate.ts';
import { parseAttrPath, parseFilter, type Filter } from './filter/filter.ts';
import { parseProjection, type Projection } from './schema/project.ts';
import type { ResourceTypeDef } from './schema/resource-types.ts';
import { resolvePath, type ResolvedPath } from './schema/resolve.ts';
import { badRequest } from './scim-errors.ts';

/** The most resources one list response carries (ServiceProviderConfig filter.maxResults). */
export const MAX_RESULTS = 1000;

export interface ListQuery {
  readonly filter: Filter | null;
  readonly startIndex: number;
  readonly count: number;
  readonly sortBy: ResolvedPath | null;
  readonly descending: boolean;
  readonly projection: Projection;
}

const rawSchema = z.object({
  filter: z.string().optional(),
  startIndex: z.union([z.string(), z.number()]).optional(),
  count: z.union([z.string(), z.number()]).optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  attributes: z.union([z.string(), z.array(z.string())]).optional(),
  excludedAttributes: z.union([z.string(), z.array(z.string())]).optional(),
});

const integer = (value: string | number | undefined, name: string): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^-?\d{1,9}$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) throw badRequest('invalidValue', `"${name}" must be an integer.`);
  return n;
};

const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

/** Query parameters (GET) or a SearchRequest body (POST .search), checked against the resource type. */
export function parseListQuery(raw: unknown, rt: ResourceTypeDef): ListQuery {
  const parsed = rawSchema.safeParse(raw ?? {});
  if (!parsed.success) throw badRequest('invalidValue', 'Query parameters must be strings.');
  const q = parsed.data;
  const filter = q.filter !== undefined && q.filter.trim() !== '' ? parseFilter(q.filter) : null;
  if (filter) checkFilter(filter, rt);
  // RFC 7644 §3.4.2.4: startIndex below 1 is 1; a negative count is 0; above the maximum, the maximum.
  const startIndex = Math.max(1, integer(q.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer(q.count, 'count') ?? MAX_RESULTS));
  let sortBy: ResolvedPath | null = null;
  if (q.sortBy !== undefined && q.sortBy.trim() !== '') {
    sortBy = resolvePath(rt, parseAttrPath(q.sortBy.trim(), (d) => badRequest('invalidValue', `"sortBy": ${d}`)), 'invalidValue');
    if ((sortBy.sub ?? sortBy.def).returned === 'never') throw badRequest('invalidValue', `"sortBy": "${q.sortBy}" cannot be sorted on.`);
  }
  const order = q.sortOrder?.trim().toLowerCase();
  if (order !== undefined && order !== '' && order !== 'ascending' && order !== 'descending') throw badRequest('invalidValue', '"sortOrder" must be ascending or descending.');
  return {
    filter,
    startIndex,
    count,
    sortBy,
    descending: order === 'descending',
    projection: parseProjection(rt, joined(q.attributes), joined(q.excludedAttributes)),
  };
}
