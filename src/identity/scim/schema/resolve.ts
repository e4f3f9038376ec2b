import { badRequest, type ScimType } from '../scim-errors.ts';
import type { AttrPath } from '../filter/filter.ts';
import { findAttribute, type AttributeDef, type SchemaDef } from './attribute.ts';
import { commonAttributes } from './common-attributes.ts';
import type { ResourceTypeDef } from './resource-types.ts';

/** An attribute path tied to its definition: where it lives in a resource (core or an extension). */
export interface ResolvedPath {
  /** null: the core schema (or a common attribute); else the extension schema id. */
  readonly container: string | null;
  readonly def: AttributeDef;
  readonly sub: AttributeDef | null;
}

export function extensionOf(rt: ResourceTypeDef, uri: string): SchemaDef | undefined {
  const lower = uri.toLowerCase();
  return rt.extensions.find((e) => e.id.toLowerCase() === lower);
}

export function isCoreUri(rt: ResourceTypeDef, uri: string): boolean {
  return rt.schema.id.toLowerCase() === uri.toLowerCase();
}

/**
 * Resolves `[uri:]attr[.sub]` against a resource type, case-insensitively. Extension
 * attributes are named with their schema URN; a bare name that only an extension defines
 * is accepted too (people write `department`, not the enterprise URN).
 */
export function resolvePath(rt: ResourceTypeDef, path: AttrPath, scimType: ScimType): ResolvedPath {
  const unknown = () => badRequest(scimType, `Unknown attribute "${path.text}" for ${rt.name}.`);
  let container: string | null = null;
  let def: AttributeDef | undefined;
  if (path.uri === null) {
    def = findAttribute(commonAttributes, path.attr) ?? findAttribute(rt.schema.attributes, path.attr);
    if (!def) {
      const found = rt.extensions.flatMap((e) => (findAttribute(e.attributes, path.attr) ? [e] : []));
      if (found.length === 1) {
        container = found[0]!.id;
        def = findAttribute(found[0]!.attributes, path.attr);
      }
    }
  } else if (isCoreUri(rt, path.uri)) {
    def = findAttribute(rt.schema.attributes, path.attr) ?? findAttribute(commonAttributes, path.attr);
  } else {
    const extension = extensionOf(rt, path.uri);
    if (extension) {
      container = extension.id;
      def = findAttribute(extension.attributes, path.attr);
    }
  }
  if (!def) throw unknown();
  if (path.sub === null) return { container, def, sub: null };
  const sub = def.subAttributes ? findAttribute(def.subAttributes, path.sub) : undefined;
  if (!sub) throw unknown();
  return { container, def, sub };
}

/** A path relative to a complex attribute (inside `emails[...]`): only its sub-attributes. */
export function resolveSubPath(parent: AttributeDef, path: AttrPath, scimType: ScimType): AttributeDef {
  const sub = path.uri === null && path.sub === null && parent.subAttributes ? findAttribute(parent.subAttributes, path.attr) : undefined;
  if (!sub) throw badRequest(scimType, `"${path.text}" is not a sub-attribute of "${parent.name}".`);
  return sub;
}

/** The attribute's value in a resource (canonical names), or undefined. */
export function containerOf(resource: Readonly<Record<string, unknown>>, container: string | null): Record<string, unknown> | undefined {
  if (container === null) return resource as Record<string, unknown>;
  const ext = resource[container];
  return ext && typeof ext === 'object' && !Array.isArray(ext) ? (ext as Record<string, unknown>) : undefined;
}
