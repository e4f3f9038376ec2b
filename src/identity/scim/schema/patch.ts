import { isDeepStrictEqual } from 'node:util';
import { matchesElement } from '../filter/evaluate.ts';
import { parsePatchPath, type Filter, type Literal } from '../filter/filter.ts';
import { badRequest } from '../scim-errors.ts';
import type { AttributeDef } from './attribute.ts';
import { isObject, type Doc } from './normalize.ts';
import type { ResourceTypeDef } from './resource-types.ts';
import { extensionOf, resolvePath, type ResolvedPath } from './resolve.ts';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const MAX_PATCH_OPERATIONS = 1000;

type Op = 'add' | 'replace' | 'remove';

interface Operation {
  readonly op: Op;
  readonly path: string | null;
  readonly value: unknown;
  readonly hasValue: boolean;
}

/**
 * Applies a PatchOp request (RFC 7644 §3.5.2) to a resource in canonical form and returns
 * the new resource, not yet checked against the schema (the caller normalizes it, so a
 * PATCH is held to exactly the rules of a PUT). Accepted as real clients send it:
 * capitalised ops (Entra: "Replace"), no-path add/replace whose keys are themselves paths
 * ("name.givenName", "emails[type eq \"work\"].value", URN-qualified names; Entra with
 * aadOptscim062020), `remove` of members by value (Entra) or by value filter (Okta),
 * and an unchanged `id` inside a no-path replace (Okta).
 */
export function applyPatch(current: Readonly<Doc>, body: unknown, rt: ResourceTypeDef, id: string): Doc {
  const operations = parseOperations(body);
  const doc = structuredClone(current) as Doc;
  for (const operation of operations) applyOperation(doc, operation, rt, id);
  return doc;
}

function parseOperations(body: unknown): Operation[] {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The body must be a PatchOp JSON object.');
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)) throw badRequest('invalidSyntax', `"schemas" must be ["${PATCH_OP_SCHEMA}"].`);
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const list = key ? body[key] : undefined;
  if (!Array.isArray(list) || list.length === 0) throw badRequest('invalidSyntax', '"Operations" must be a non-empty list.');
  if (list.length > MAX_PATCH_OPERATIONS) throw badRequest('invalidValue', `At most ${MAX_PATCH_OPERATIONS} operations are accepted in one request.`);
  return list.map((raw, i) => {
    if (!isObject(raw)) throw badRequest('invalidSyntax', `Operation ${i + 1} must be an object.`);
    const get = (name: string) => {
      const k = Object.keys(raw).find((x) => x.toLowerCase() === name);
      return k === undefined ? undefined : raw[k];
    };
    const op = get('op');
    if (typeof op !== 'string' || !['add', 'replace', 'remove'].includes(op.toLowerCase())) {
      throw badRequest('invalidSyntax', `Operation ${i + 1}: "op" must be add, replace or remove.`);
    }
    const path = get('path');
    if (path !== undefined && path !== null && typeof path !== 'string') throw badRequest('invalidPath', `Operation ${i + 1}: "path" must be a string.`);
    const value = get('value');
    const normalizedOp = op.toLowerCase() as Op;
    if (normalizedOp !== 'remove' && value === undefined) throw badRequest('invalidValue', `Operation ${i + 1}: "${normalizedOp}" needs a "value".`);
    return { op: normalizedOp, path: typeof path === 'string' && path.trim() !== '' ? path.trim() : null, value, hasValue: value !== undefined };
  });
}

function applyOperation(doc: Doc, operation: Operation, rt: ResourceTypeDef, id: string): void {
  if (operation.path === null) {
    if (operation.op === 'remove') throw badRequest('noTarget', '"remove" needs a "path".');
    if (!isObject(operation.value)) throw badRequest('invalidValue', `"${operation.op}" without a path needs an object of attributes as its value.`);
    applyObject(doc, operation.op, operation.value, rt, id, null);
    return;
  }
  const extension = extensionOf(rt, operation.path);
  if (extension) {
    // The whole extension: `remove` drops it; add/replace take an object of its attributes.
    if (operation.op === 'remove') {
      delete doc[extension.id];
      return;
    }
    if (!isObject(operation.value)) throw badRequest('invalidValue', `"${operation.path}" needs an object of ${extension.name} attributes.`);
    applyObject(doc, operation.op, operation.value, rt, id, extension.id);
    return;
  }
  const parsed = parsePatchPath(operation.path);
  const resolved = resolvePath(rt, parsed.path, 'invalidPath');
  let target = resolved;
  if (parsed.sub !== null) {
    if (resolved.sub) throw badRequest('invalidPath', `"${operation.path}" is not a valid path.`);
    const sub = resolved.def.subAttributes?.find((s) => s.name.toLowerCase() === parsed.sub!.toLowerCase());
    if (!sub) throw badRequest('invalidPath', `Unknown sub-attribute "${parsed.sub}" of "${resolved.def.name}".`);
    target = { ...resolved, sub };
  }
  applyAt(doc, operation, target, parsed.filter, id);
}

/** Each key of the value is a path of its own (relative to an extension when `within` is set). */
function applyObject(doc: Doc, op: Exclude<Op, 'remove'>, value: Doc, rt: ResourceTypeDef, id: string, within: string | null): void {
  for (const [key, v] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || (within === null && lower === 'meta')) continue;
    if (within === null && lower === 'id') {
      if (v !== id) throw badRequest('mutability', '"id" is assigned by the server and cannot change.');
      continue;
    }
    if (within === null && extensionOf(rt, key)) {
      if (!isObject(v)) throw badRequest('invalidValue', `"${key}" needs an object of attributes.`);
      applyObject(doc, op, v, rt, id, extensionOf(rt, key)!.id);
      continue;
    }
    const path = within === null ? key : `${within}:${key}`;
    applyOperation(doc, { op, path, value: v, hasValue: true }, rt, id);
  }
}

function applyAt(doc: Doc, operation: Operation, target: ResolvedPath, filter: Filter | null, id: string): void {
  const { def, sub } = target;
  if (def.name === 'id' && target.container === null) {
    if (operation.op !== 'remove' && operation.value === id) return;
    throw badRequest('mutability', '"id" is assigned by the server and cannot change.');
  }
  if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
    throw badRequest('mutability', `"${sub ? `${def.name}.${sub.name}` : def.name}" is read-only.`);
  }
  if (filter && (!def.multiValued || def.type !== 'complex')) throw badRequest('invalidPath', `A value filter applies to a multi-valued complex attribute; "${def.name}" is not one.`);
  const container = containerFor(doc, target.container, operation.op !== 'remove');
  if (!container) return;
  const { op, value } = operation;

  if (filter) {
    const elements = asArray(container[def.name]);
    const matching = elements.filter((e) => isObject(e) && matchesElement(filter, e, def));
    if (matching.length === 0) {
      if (op === 'remove') return; // removing what is not there leaves nothing to do (clients retry)
      const seed = equalitySeed(filter, def);
      if (!seed) throw badRequest('noTarget', `No value of "${def.name}" matches the filter.`);
      const created: Doc = sub ? { ...seed, [sub.name]: value } : { ...seed, ...(isObject(value) ? value : { value }) };
      container[def.name] = [...elements, created];
      return;
    }
    if (op === 'remove') {
      container[def.name] = sub ? elements.map((e) => (matching.includes(e) ? omit(e as Doc, sub.name) : e)) : elements.filter((e) => !matching.includes(e));
    } else {
      for (const element of matching as Doc[]) {
        if (sub) element[sub.name] = value;
        else if (isObject(value)) Object.assign(element, value);
        else throw badRequest('invalidValue', `"${def.name}[…]" needs an object value.`);
      }
    }
    cleanup(container, def.name);
    return;
  }

  if (sub) {
    if (def.multiValued) {
      const elements = asArray(container[def.name]);
      if (op === 'remove') container[def.name] = elements.map((e) => (isObject(e) ? omit(e, sub.name) : e));
      else container[def.name] = elements.length === 0 ? [{ [sub.name]: value }] : elements.map((e) => (isObject(e) ? { ...e, [sub.name]: value } : e));
    } else {
      const object = isObject(container[def.name]) ? (container[def.name] as Doc) : {};
      if (op === 'remove') delete object[sub.name];
      else object[sub.name] = value;
      container[def.name] = object;
    }
    cleanup(container, def.name);
    return;
  }

  if (op === 'remove') {
    if (def.multiValued && operation.hasValue && value !== null) {
      // Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes those values only.
      const drop = asArray(value).map((v) => (isObject(v) ? v['value'] : v));
      container[def.name] = asArray(container[def.name]).filter((e) => !(isObject(e) && drop.some((d) => sameValue(def, e['value'], d))));
      cleanup(container, def.name);
    } else {
      delete container[def.name];
    }
    return;
  }
  if (def.multiValued) {
    const incoming = asArray(value);
    if (op === 'replace') {
      container[def.name] = incoming;
    } else {
      const existing = asArray(container[def.name]);
      const added = incoming.filter((v) => !existing.some((e) => isDuplicate(def, e, v)));
      container[def.name] = [...existing, ...added];
    }
  } else if (def.type === 'complex' && isObject(value) && isObject(container[def.name])) {
    // Sub-attributes not given are left as they were (RFC 7644 §3.5.2.1 and §3.5.2.3).
    container[def.name] = { ...(container[def.name] as Doc), ...value };
  } else {
    container[def.name] = value;
  }
  cleanup(container, def.name);
}

function containerFor(doc: Doc, container: string | null, create: boolean): Doc | undefined {
  if (container === null) return doc;
  if (!isObject(doc[container])) {
    if (!create) return undefined;
    doc[container] = {};
  }
  return doc[container] as Doc;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function omit(object: Doc, key: string): Doc {
  const { [key]: _, ...rest } = object;
  return rest;
}

function cleanup(container: Doc, name: string): void {
  const v = container[name];
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)) delete container[name];
}

function sameValue(def: AttributeDef, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const caseExact = def.subAttributes?.find((s) => s.name === 'value')?.caseExact ?? false;
    return caseExact ? a === b : a.toLowerCase() === b.toLowerCase();
  }
  return a === b;
}

/** Adding a value already there is a no-op: members by their `value`, other values when identical. */
function isDuplicate(def: AttributeDef, existing: unknown, incoming: unknown): boolean {
  if (def.name === 'members') {
    const value = isObject(incoming) ? incoming['value'] : incoming;
    return isObject(existing) && sameValue(def, existing['value'], value);
  }
  return isDeepStrictEqual(existing, incoming);
}

/** `type eq "work"` or `type eq "work" and primary eq true`: the element such a filter would match. */
function equalitySeed(filter: Filter, def: AttributeDef): Record<string, Literal> | null {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.path.uri === null && filter.path.sub === null && filter.value !== null) {
    const sub = def.subAttributes?.find((s) => s.name.toLowerCase() === filter.path.attr.toLowerCase());
    return sub ? { [sub.name]: filter.value } : null;
  }
  if (filter.kind === 'and') {
    const left = equalitySeed(filter.left, def);
    const right = equalitySeed(filter.right, def);
    return left && right ? { ...left, ...right } : null;
  }
  return null;
}
