import type { AttributeDef } from '../schema/attribute.ts';
import type { ResourceTypeDef } from '../schema/resource-types.ts';
import { containerOf, resolvePath, resolveSubPath } from '../schema/resolve.ts';
import { badRequest } from '../scim-errors.ts';
import type { AttrPath, CompareOp, Filter, Literal } from './filter.ts';

type Resource = Readonly<Record<string, unknown>>;
type Scope = { readonly kind: 'resource'; readonly rt: ResourceTypeDef } | { readonly kind: 'element'; readonly parent: AttributeDef };

const invalid = (detail: string) => badRequest('invalidFilter', detail);

/**
 * Checks a filter against the resource type up front (unknown attributes, operators that
 * do not apply to a type, wrong literal types), so a bad filter is a 400 even when no
 * resource would have been compared.
 */
export function checkFilter(filter: Filter, rt: ResourceTypeDef): void {
  walk(filter, { kind: 'resource', rt });
}

function walk(filter: Filter, scope: Scope): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      walk(filter.left, scope);
      walk(filter.right, scope);
      return;
    case 'not':
      walk(filter.filter, scope);
      return;
    case 'present':
      resolve(filter.path, scope);
      return;
    case 'valuePath': {
      if (scope.kind !== 'resource') throw invalid('Value paths cannot be nested.');
      const resolved = resolvePath(scope.rt, filter.path, 'invalidFilter');
      if (resolved.def.type !== 'complex' || resolved.sub) throw invalid(`"${filter.path.text}[…]" needs a complex attribute.`);
      walk(filter.filter, { kind: 'element', parent: resolved.def });
      return;
    }
    case 'compare': {
      const def = resolve(filter.path, scope);
      checkOperator(def, filter.op, filter.value, filter.path.text);
    }
  }
}

/** The definition a compared value follows (a complex attribute compares its `value`). */
function resolve(path: AttrPath, scope: Scope): AttributeDef {
  const def = scope.kind === 'element' ? resolveSubPath(scope.parent, path, 'invalidFilter') : (() => {
    const r = resolvePath(scope.rt, path, 'invalidFilter');
    return r.sub ?? r.def;
  })();
  // What is never returned (password) cannot be probed through a filter either.
  if (def.returned === 'never') throw invalid(`"${path.text}" cannot be used in a filter.`);
  return def;
}

function checkOperator(def: AttributeDef, op: CompareOp, value: Literal, text: string): void {
  const compared = def.type === 'complex' ? def.subAttributes?.find((s) => s.name === 'value') : def;
  if (!compared) throw invalid(`"${text}" is a complex attribute: compare one of its sub-attributes.`);
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalid(`"${op}" cannot compare with null.`);
    return;
  }
  switch (compared.type) {
    case 'boolean':
      if (op !== 'eq' && op !== 'ne') throw invalid(`"${text}" is a boolean: only eq and ne apply.`);
      if (typeof value !== 'boolean') throw invalid(`"${text}" is a boolean: compare it with true or false.`);
      return;
    case 'integer':
    case 'decimal':
      if (op === 'co' || op === 'sw' || op === 'ew') throw invalid(`"${text}" is a number: "${op}" applies to strings.`);
      if (typeof value !== 'number') throw invalid(`"${text}" is a number: compare it with a number.`);
      return;
    case 'binary':
      if (op !== 'eq' && op !== 'ne' && op !== 'co' && op !== 'sw' && op !== 'ew') throw invalid(`"${text}" is binary: it has no order.`);
      if (typeof value !== 'string') throw invalid(`"${text}" is binary: compare it with a string.`);
      return;
    case 'dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid(`"${text}" is a dateTime: compare it with a quoted date and time.`);
      return;
    default:
      if (typeof value !== 'string') throw invalid(`"${text}" is a string: compare it with a quoted string.`);
  }
}

/** Does one element of a multi-valued complex attribute match a value filter (`emails[type eq "work"]`)? */
export function matchesElement(filter: Filter, element: Resource, parent: AttributeDef): boolean {
  walk(filter, { kind: 'element', parent });
  return evaluate(filter, element, { kind: 'element', parent });
}

/** Evaluates a checked filter against a resource in its canonical form. */
export function matches(filter: Filter, resource: Resource, rt: ResourceTypeDef): boolean {
  return evaluate(filter, resource, { kind: 'resource', rt });
}

function evaluate(filter: Filter, target: Resource, scope: Scope): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, target, scope) && evaluate(filter.right, target, scope);
    case 'or':
      return evaluate(filter.left, target, scope) || evaluate(filter.right, target, scope);
    case 'not':
      return !evaluate(filter.filter, target, scope);
    case 'valuePath': {
      if (scope.kind !== 'resource') return false;
      const r = resolvePath(scope.rt, filter.path, 'invalidFilter');
      const raw = containerOf(target, r.container)?.[r.def.name];
      const elements = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
      return elements.some((e) => e !== null && typeof e === 'object' && evaluate(filter.filter, e as Resource, { kind: 'element', parent: r.def }));
    }
    case 'present': {
      const { values } = valuesAt(filter.path, target, scope, true);
      return values.some((v) => v !== '' && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0));
    }
    case 'compare': {
      const { def, values } = valuesAt(filter.path, target, scope, false);
      if (filter.value === null) return filter.op === 'eq' ? values.length === 0 : values.length > 0;
      const hit = values.some((v) => compare(def, filter.op === 'ne' ? 'eq' : filter.op, v, filter.value!));
      return filter.op === 'ne' ? !hit : hit;
    }
  }
}

/** The values an attribute path reaches (a multi-valued attribute gives several). */
function valuesAt(path: AttrPath, target: Resource, scope: Scope, whole: boolean): { def: AttributeDef; values: unknown[] } {
  if (scope.kind === 'element') {
    const def = resolveSubPath(scope.parent, path, 'invalidFilter');
    return { def, values: present(target[def.name]) };
  }
  const r = resolvePath(scope.rt, path, 'invalidFilter');
  const raw = containerOf(target, r.container)?.[r.def.name];
  const items = r.def.multiValued ? (Array.isArray(raw) ? raw : present(raw)) : present(raw);
  if (r.sub) return { def: r.sub, values: items.flatMap((i) => present((i as Resource | null)?.[r.sub!.name])) };
  if (r.def.type === 'complex' && !whole) {
    const valueDef = r.def.subAttributes?.find((s) => s.name === 'value') ?? r.def;
    return { def: valueDef, values: items.flatMap((i) => present((i as Resource | null)?.['value'])) };
  }
  return { def: r.def, values: items };
}

const present = (v: unknown): unknown[] => (v === undefined || v === null ? [] : [v]);

function compare(def: AttributeDef, op: Exclude<CompareOp, 'ne'>, actual: unknown, expected: Exclude<Literal, null>): boolean {
  if (def.type === 'boolean') return typeof actual === 'boolean' && actual === expected;
  if (def.type === 'integer' || def.type === 'decimal') {
    if (typeof actual !== 'number' || typeof expected !== 'number') return false;
    return order(op, actual - expected);
  }
  if (def.type === 'dateTime' && op !== 'co' && op !== 'sw' && op !== 'ew') {
    const a = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    const b = typeof expected === 'string' ? Date.parse(expected) : Number.NaN;
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return order(op, a - b);
  }
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  const a = def.caseExact ? actual : actual.toLowerCase();
  const b = def.caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return order(op, a < b ? -1 : a > b ? 1 : 0);
  }
}

function order(op: 'eq' | 'gt' | 'ge' | 'lt' | 'le' | 'co' | 'sw' | 'ew', diff: number): boolean {
  switch (op) {
    case 'eq':
      return diff === 0;
    case 'gt':
      return diff > 0;
    case 'ge':
      return diff >= 0;
    case 'lt':
      return diff < 0;
    case 'le':
      return diff <= 0;
    default:
      return false;
  }
}
