import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Filter } from './filter/filter.ts';
import type { ResourceTypeDef } from './schema/resource-types.ts';
import { resolvePath } from './schema/resolve.ts';
import { ScimError } from './scim-errors.ts';
import { etagOf } from './user-resource.ts';

export const SCIM_PREFIX = '/scim/v2';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export function send(reply: FastifyReply, status: number, body: unknown, version?: number): FastifyReply {
  reply.status(status).type(SCIM_CONTENT_TYPE);
  if (version !== undefined) reply.header('etag', etagOf(version));
  return reply.send(body);
}

/** The SCIM base URL as clients reach it (configured, else from the request). */
export function baseUrlOf(request: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${request.protocol}://${request.host}${SCIM_PREFIX}`;
}

/** If-Match (RFC 7644 §3.14): a write to a resource that changed since the client read it fails with 412. */
export function checkIfMatch(request: FastifyRequest, version: number): void {
  const header = request.headers['if-match'];
  if (header === undefined) return;
  const wanted = header.split(',').map((t) => t.trim());
  if (wanted.includes('*')) return;
  const current = `"${version}"`;
  if (!wanted.some((t) => t.replace(/^W\//, '') === current)) {
    throw new ScimError(412, `The resource has changed (its version is now ${etagOf(version)}); read it again.`);
  }
}

/** If-None-Match on a GET: the client's copy is current. */
export function notModified(request: FastifyRequest, version: number): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${version}"`);
}

export interface IndexKeys {
  readonly ids: string[];
  readonly names: string[];
  readonly externalIds: string[];
}

/**
 * The equality lookups a filter implies (id, the unique name, externalId), so the server
 * loads only those candidates and evaluates the whole filter on them; null when the
 * filter needs every resource. `nameAttribute`: userName for Users, displayName for Groups.
 */
export function indexKeys(filter: Filter, rt: ResourceTypeDef, nameAttribute: string): IndexKeys | null {
  switch (filter.kind) {
    case 'compare': {
      if (filter.op !== 'eq' || typeof filter.value !== 'string') return null;
      const r = resolvePath(rt, filter.path, 'invalidFilter');
      if (r.container !== null || r.sub !== null) return null;
      if (r.def.name === 'id') return { ids: [filter.value], names: [], externalIds: [] };
      if (r.def.name === nameAttribute) return { ids: [], names: [filter.value], externalIds: [] };
      if (r.def.name === 'externalId') return { ids: [], names: [], externalIds: [filter.value] };
      return null;
    }
    case 'and':
      return indexKeys(filter.left, rt, nameAttribute) ?? indexKeys(filter.right, rt, nameAttribute);
    case 'or': {
      const left = indexKeys(filter.left, rt, nameAttribute);
      const right = left && indexKeys(filter.right, rt, nameAttribute);
      return left && right ? { ids: [...left.ids, ...right.ids], names: [...left.names, ...right.names], externalIds: [...left.externalIds, ...right.externalIds] } : null;
    }
    default:
      return null;
  }
}
