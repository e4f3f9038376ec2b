// zod's JSON Schema → a Kubernetes structural schema: no $schema, no
// `additionalProperties: false` beside `properties` (the API server prunes or,
// with kubectl's strict field validation, rejects unknown fields instead).

type Json = { [key: string]: unknown };

export function toStructural(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
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

/** Adds CEL rules at a path of nested `properties` (what the schema alone cannot say). */
export function addRules(schema: Json, path: readonly string[], rules: readonly { rule: string; message: string }[]): void {
  let node = schema;
  for (const key of path) {
    const next = key === '[]' ? (node.items as Json | undefined) : (node.properties as Record<string, Json> | undefined)?.[key];
    if (!next) throw new Error(`no schema at ${path.join('.')}`);
    node = next;
  }
  node['x-kubernetes-validations'] = [...((node['x-kubernetes-validations'] as unknown[]) ?? []), ...rules];
}
