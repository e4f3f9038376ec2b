// zod's JSON Schema → a Kubernetes structural schema: no $schema, no
// `additionalProperties: false` beside `properties` (the API server prunes or,
// with kubectl's strict field validation, rejects unknown fields instead).

export type Json = { [key: string]: unknown };

export function toStructural(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    // `format: date-time` is validated by the API server; zod's equivalent regex is noise there.
    if (key === 'pattern' && schema.format === 'date-time') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Json>).map(([k, v]) => [k, toStructural(v)]));
    } else if (key === 'items' && value && typeof value === 'object') {
      out.items = toStructural(value as Json);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The node at a path of nested `properties` (`[]` steps into array items). */
export function nodeAt(schema: Json, path: readonly string[]): Json {
  let node = schema;
  for (const key of path) {
    const next = key === '[]' ? (node.items as Json | undefined) : (node.properties as Record<string, Json> | undefined)?.[key];
    if (!next) throw new Error(`no schema at ${path.join('.')}`);
    node = next;
  }
  return node;
}

export interface Rule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
}

/** Adds CEL rules at a path (what the schema alone cannot say). */
export function addRules(schema: Json, path: readonly string[], rules: readonly Rule[]): void {
  const node = nodeAt(schema, path);
  node['x-kubernetes-validations'] = [...((node['x-kubernetes-validations'] as unknown[]) ?? []), ...rules];
}

/** List semantics for server-side apply and the API server's duplicate checks. */
export function listType(schema: Json, path: readonly string[], type: 'set' | 'atomic' | { readonly mapKeys: readonly string[] }): void {
  const node = nodeAt(schema, path);
  if (node.type !== 'array') throw new Error(`${path.join('.')} is not a list`);
  if (typeof type === 'string') node['x-kubernetes-list-type'] = type;
  else Object.assign(node, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [...type.mapKeys] });
}

/** Replaces zod's regex by a CEL rule, whose message can say what is expected (a pattern's cannot). */
export function patternToRule(schema: Json, path: readonly string[], rule: Rule): void {
  const node = nodeAt(schema, path);
  if (typeof node.pattern !== 'string') throw new Error(`no pattern at ${path.join('.')}`);
  delete node.pattern;
  addRules(schema, path, [rule]);
}

/** Every property under `schema` that has no description, as dotted paths (the CRDs must have none). */
export function undescribed(schema: Json, at = ''): string[] {
  const missing: string[] = [];
  for (const [name, child] of Object.entries((schema.properties as Record<string, Json> | undefined) ?? {})) {
    const path = at ? `${at}.${name}` : name;
    if (typeof child.description !== 'string' || child.description.trim() === '') missing.push(path);
    missing.push(...undescribed(child, path));
    if (child.items) missing.push(...undescribed(child.items as Json, `${path}[]`));
  }
  return missing;
}
