// Attribute definitions in the shape RFC 7643 §7 publishes them (GET /Schemas), used
// for everything the server does with attributes: validating input, filters, PATCH
// paths, sorting, `attributes`/`excludedAttributes`, and which values are returned.

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDef[];
  /** Not published: the most values a multi-valued attribute may carry in one request. */
  readonly maxItems?: number;
}

export interface SchemaDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDef[];
}

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

export const attr = (name: string, type: AttributeType, description: string, options: Options = {}): AttributeDef => ({
  name,
  type,
  description,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...options,
});

export const str = (name: string, description: string, options: Options = {}) => attr(name, 'string', description, options);

export const complex = (name: string, description: string, subAttributes: readonly AttributeDef[], options: Options = {}) =>
  attr(name, 'complex', description, { ...options, subAttributes });

/** The usual sub-attributes of a multi-valued attribute (RFC 7643 §2.4). */
export const multi = (name: string, description: string, value: AttributeDef, types: readonly string[], extra: readonly AttributeDef[] = []) =>
  complex(
    name,
    description,
    [
      value,
      str('display', 'A human-readable name, primarily used for display purposes.'),
      str('type', `A label indicating the attribute's function.`, { canonicalValues: types }),
      attr('primary', 'boolean', `A Boolean value indicating the 'primary' or preferred attribute value for this attribute.`),
      ...extra,
    ],
    { multiValued: true, maxItems: 100 },
  );

export const findAttribute = (attributes: readonly AttributeDef[], name: string): AttributeDef | undefined => {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
};

/** A schema definition as GET /Schemas publishes it (internal fields left out). */
export function publishAttribute(a: AttributeDef): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
    ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(publishAttribute) } : {}),
  };
}
