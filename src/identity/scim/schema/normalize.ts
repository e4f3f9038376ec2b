import { badRequest } from '../scim-errors.ts';
import { findAttribute, type AttributeDef } from './attribute.ts';
import type { ResourceTypeDef } from './resource-types.ts';
import { extensionOf, isCoreUri } from './resolve.ts';

export type Doc = Record<string, unknown>;

export const MAX_STRING_LENGTH = 4096;

/**
 * A resource as the server keeps it: canonical attribute names, values of the declared
 * types, nothing read-only, no password. Input is checked against the schema, and what
 * real clients send is tolerated where the schema leaves no doubt about the meaning:
 * "True"/"False" for booleans (Microsoft Entra ID), a bare string for a complex attribute
 * with a `value` (Entra's manager), one value where a list is expected, null or [] for
 * "no value". Anything the schema does not define is refused (400), never dropped silently.
 */
export function normalizeResource(input: unknown, rt: ResourceTypeDef, options: { readonly requireSchemas: boolean }): Doc {
  if (!isObject(input)) throw badRequest('invalidSyntax', `The body must be a JSON object (a ${rt.name} resource).`);
  if (options.requireSchemas) checkSchemas(input['schemas'], rt);
  const out: Doc = {};
  for (const [key, value] of Object.entries(input)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta') continue; // read-only, as RFC 7643 §3.1 allows
    const extension = extensionOf(rt, key);
    if (extension) {
      if (value === null || value === undefined) continue;
      if (!isObject(value)) throw badRequest('invalidValue', `"${key}" must be an object of ${extension.name} attributes.`);
      const ext: Doc = {};
      for (const [name, v] of Object.entries(value)) {
        if (name.toLowerCase() === 'schemas') continue; // some clients serialize an extension with its own "schemas"
        const def = findAttribute(extension.attributes, name);
        if (!def) throw badRequest('invalidSyntax', `Unknown attribute "${name}" in ${extension.id}.`);
        put(ext, def, v, `${extension.id}:${def.name}`);
      }
      if (Object.keys(ext).length > 0) out[extension.id] = ext;
      continue;
    }
    const name = coreName(rt, key);
    const def = name === 'externalId' ? EXTERNAL_ID : findAttribute(rt.schema.attributes, name);
    if (!def) throw badRequest('invalidSyntax', `Unknown attribute "${key}" for ${rt.name}.`);
    put(out, def, value, def.name);
  }
  return out;
}

const EXTERNAL_ID: AttributeDef = {
  name: 'externalId',
  type: 'string',
  multiValued: false,
  description: '',
  required: false,
  caseExact: true,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
};

/** `urn:…:core:2.0:User:userName` is `userName`. */
function coreName(rt: ResourceTypeDef, key: string): string {
  const prefix = `${rt.schema.id}:`;
  return key.toLowerCase().startsWith(prefix.toLowerCase()) ? key.slice(prefix.length) : key;
}

function checkSchemas(schemas: unknown, rt: ResourceTypeDef): void {
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw badRequest('invalidSyntax', `"schemas" must be a list that includes "${rt.schema.id}".`);
  }
  if (!schemas.some((s) => isCoreUri(rt, s))) throw badRequest('invalidSyntax', `"schemas" must include "${rt.schema.id}".`);
}

function put(out: Doc, def: AttributeDef, value: unknown, where: string): void {
  if (def.mutability === 'readOnly' || def.mutability === 'writeOnly') return; // ignored on input; writeOnly (password) is not kept
  const normalized = normalizeValue(def, value, where);
  if (normalized !== undefined) out[def.name] = normalized;
}

/** One attribute's value in its canonical form; undefined when it carries no value. */
export function normalizeValue(def: AttributeDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!def.multiValued) return normalizeSingle(def, value, where);
  const items = Array.isArray(value) ? value : [value];
  const max = def.maxItems ?? 100;
  if (items.length > max) throw badRequest('invalidValue', `"${where}" has ${items.length} values; at most ${max} are accepted in one request.`);
  const out = items.map((item) => normalizeSingle(def, item, where)).filter((v) => v !== undefined);
  return out.length === 0 ? undefined : out;
}

function normalizeSingle(def: AttributeDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  const wrong = (expected: string) => badRequest('invalidValue', `"${where}" must be ${expected}.`);
  switch (def.type) {
    case 'complex': {
      const subs = def.subAttributes ?? [];
      let object = value;
      if (!isObject(object)) {
        if (Array.isArray(object) || !subs.some((s) => s.name === 'value')) throw wrong('an object');
        object = { value: object };
      }
      const out: Doc = {};
      for (const [name, v] of Object.entries(object as Doc)) {
        const sub = findAttribute(subs, name);
        if (!sub) throw badRequest('invalidSyntax', `Unknown sub-attribute "${name}" of "${where}".`);
        if (sub.mutability === 'readOnly' || sub.mutability === 'writeOnly') continue;
        const n = normalizeValue(sub, v, `${where}.${sub.name}`);
        if (n !== undefined) out[sub.name] = n;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw wrong('true or false');
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
      throw wrong('an integer');
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      throw wrong('a number');
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
      throw wrong('a date and time (xsd:dateTime)');
    default: {
      // string, reference, binary
      const s = value;
      if (typeof s !== 'string') throw wrong('a string');
      if (s.length > MAX_STRING_LENGTH) throw wrong(`at most ${MAX_STRING_LENGTH} characters`);
      if (def.type === 'binary' && !/^[A-Za-z0-9+/=_\-\s]*$/.test(s)) throw wrong('base64');
      return s;
    }
  }
}

export function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
