import { parseAttrPath } from '../filter/filter.ts';
import { badRequest } from '../scim-errors.ts';
import type { AttributeDef } from './attribute.ts';
import { isObject, type Doc } from './normalize.ts';
import type { ResourceTypeDef } from './resource-types.ts';
import { extensionOf, resolvePath, type ResolvedPath } from './resolve.ts';

/** `attributes` / `excludedAttributes` (RFC 7644 §3.9), resolved once per request. */
export interface Projection {
  readonly include: readonly Selected[] | null;
  readonly exclude: readonly Selected[];
}

type Selected = { readonly kind: 'extension'; readonly id: string } | { readonly kind: 'path'; readonly path: ResolvedPath };

const MAX_LIST = 100;

export function parseProjection(rt: ResourceTypeDef, attributes: string | undefined, excluded: string | undefined): Projection {
  if (attributes !== undefined && excluded !== undefined && attributes.trim() !== '' && excluded.trim() !== '') {
    throw badRequest('invalidValue', '"attributes" and "excludedAttributes" cannot be used together.');
  }
  const parse = (list: string | undefined, name: string): Selected[] | null => {
    if (list === undefined || list.trim() === '') return null;
    const items = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length > MAX_LIST) throw badRequest('invalidValue', `"${name}" names more than ${MAX_LIST} attributes.`);
    return items.map((item) => {
      const extension = extensionOf(rt, item);
      if (extension) return { kind: 'extension', id: extension.id };
      const error = (detail: string) => badRequest('invalidValue', `"${name}": ${detail}`);
      return { kind: 'path', path: resolvePath(rt, parseAttrPath(item, error), 'invalidValue') };
    });
  };
  return { include: parse(attributes, 'attributes'), exclude: parse(excluded, 'excludedAttributes') ?? [] };
}

/** The resource as the request asked to see it; `id` and `schemas` are always there. */
export function project(resource: Readonly<Doc>, projection: Projection): Doc {
  if (projection.include === null && projection.exclude.length === 0) return resource as Doc;
  if (projection.include !== null) {
    const out: Doc = { schemas: resource['schemas'], id: resource['id'] };
    for (const selected of projection.include) copy(resource, out, selected);
    return out;
  }
  const out = structuredClone(resource) as Doc;
  for (const selected of projection.exclude) remove(out, selected);
  return out;
}

function copy(from: Readonly<Doc>, to: Doc, selected: Selected): void {
  if (selected.kind === 'extension') {
    if (from[selected.id] !== undefined) to[selected.id] = from[selected.id];
    return;
  }
  const { container, def, sub } = selected.path;
  const source = container === null ? from : from[container];
  if (!isObject(source) || source[def.name] === undefined) return;
  const target = container === null ? to : ((to[container] as Doc | undefined) ?? (to[container] = {}));
  if (!sub) {
    target[def.name] = source[def.name];
    return;
  }
  const value = source[def.name];
  if (Array.isArray(value)) {
    const existing = Array.isArray(target[def.name]) ? (target[def.name] as Doc[]) : value.map(() => ({}));
    target[def.name] = value.map((v, i) => (isObject(v) && v[sub.name] !== undefined ? { ...existing[i], [sub.name]: v[sub.name] } : existing[i]));
  } else if (isObject(value) && value[sub.name] !== undefined) {
    target[def.name] = { ...(isObject(target[def.name]) ? (target[def.name] as Doc) : {}), [sub.name]: value[sub.name] };
  }
}

function remove(doc: Doc, selected: Selected): void {
  if (selected.kind === 'extension') {
    delete doc[selected.id];
    return;
  }
  const { container, def, sub } = selected.path;
  if (isAlways(def) && container === null) return;
  const target = container === null ? doc : doc[container];
  if (!isObject(target)) return;
  if (!sub) {
    delete target[def.name];
    return;
  }
  const value = target[def.name];
  if (Array.isArray(value)) target[def.name] = value.map((v) => (isObject(v) ? omitKey(v, sub.name) : v));
  else if (isObject(value)) target[def.name] = omitKey(value, sub.name);
}

const isAlways = (def: AttributeDef) => def.returned === 'always' || def.name === 'id';

function omitKey(object: Doc, key: string): Doc {
  const { [key]: _, ...rest } = object;
  return rest;
}
