import type { Doc } from './schema/normalize.ts';
import { containerOf, type ResolvedPath } from './schema/resolve.ts';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Sorts by one attribute (RFC 7644 §3.4.2.3): a multi-valued attribute sorts by its primary (else first) value; resources without a value come last. */
export function sortResources(resources: readonly Doc[], sortBy: ResolvedPath, descending: boolean): Doc[] {
  const keyed = resources.map((r) => ({ r, key: sortKey(r, sortBy) }));
  keyed.sort((a, b) => {
    if (a.key === null && b.key === null) return 0;
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    const c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    return descending ? -c : c;
  });
  return keyed.map((k) => k.r);
}

function sortKey(resource: Doc, path: ResolvedPath): string | number | null {
  let value = containerOf(resource, path.container)?.[path.def.name];
  if (Array.isArray(value)) value = value.find((v) => (v as Doc | null)?.['primary'] === true) ?? value[0];
  if (path.sub || path.def.type === 'complex') value = (value as Doc | undefined)?.[path.sub?.name ?? 'value'];
  const type = path.sub?.type ?? path.def.type;
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return null;
  if (type === 'dateTime') return Date.parse(value);
  const caseExact = path.sub?.caseExact ?? path.def.caseExact;
  return caseExact ? value : value.toLowerCase();
}

export function listResponse(resources: readonly Doc[], totalResults: number, startIndex: number): Doc {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
