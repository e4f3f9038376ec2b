import { matches } from './filter/evaluate.ts';
import type { ListQuery } from './list-query.ts';
import { listResponse, sortResources } from './list-results.ts';
import { project } from './schema/project.ts';
import type { Doc } from './schema/normalize.ts';
import type { ResourceTypeDef } from './schema/resource-types.ts';
import type { IndexKeys } from './scim-http.ts';
import { indexKeys } from './scim-http.ts';

export interface ListSource<Row> {
  readonly rt: ResourceTypeDef;
  readonly nameAttribute: string;
  count(): Promise<number>;
  page(offset: number, limit: number): Promise<Row[]>;
  lookup(keys: IndexKeys): Promise<Row[]>;
  all(): Promise<Row[]>;
  render(rows: readonly Row[]): Promise<Doc[]>;
}

/**
 * A list or search: without filter or sort, one page straight from SQL; with a filter,
 * the candidates its equalities name (or everyone), filtered, sorted and paged in memory.
 */
export async function listResources<Row>(query: ListQuery, source: ListSource<Row>): Promise<Doc> {
  const { filter, sortBy, startIndex, count } = query;
  if (!filter && !sortBy) {
    const total = await source.count();
    const rows = count === 0 ? [] : await source.page(startIndex - 1, count);
    const docs = await source.render(rows);
    return listResponse(docs.map((d) => project(d, query.projection)), total, startIndex);
  }
  const keys = filter ? indexKeys(filter, source.rt, source.nameAttribute) : null;
  const rows = keys ? await source.lookup(keys) : await source.all();
  let docs = await source.render(rows);
  if (filter) docs = docs.filter((d) => matches(filter, d, source.rt));
  if (sortBy) docs = sortResources(docs, sortBy, query.descending);
  const page = docs.slice(startIndex - 1, startIndex - 1 + count);
  return listResponse(page.map((d) => project(d, query.projection)), docs.length, startIndex);
}
