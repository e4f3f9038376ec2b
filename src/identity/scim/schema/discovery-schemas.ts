import { attr, complex, str, type AttributeDef, type SchemaDef } from './attribute.ts';

// The schemas of the discovery resources themselves (RFC 7643 §5, §6, §7): a client reads
// them to understand ServiceProviderConfig, ResourceType and Schema representations.
const ro = { mutability: 'readOnly' } as const;
const supported = (name: string, description: string, extra: readonly AttributeDef[] = []) =>
  complex(name, description, [attr('supported', 'boolean', 'Whether the operation is supported.', { ...ro, required: true }), ...extra], { ...ro, required: true });

export const serviceProviderConfigSchema: SchemaDef = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  name: 'Service Provider Configuration',
  description: 'Schema for representing the service provider\'s configuration',
  attributes: [
    attr('documentationUri', 'reference', 'An HTTP-addressable URL pointing to the service provider\'s human-consumable help documentation.', { ...ro, referenceTypes: ['external'] }),
    supported('patch', 'A complex type that specifies PATCH configuration options.'),
    supported('bulk', 'A complex type that specifies bulk configuration options.', [
      attr('maxOperations', 'integer', 'The maximum number of operations.', { ...ro, required: true }),
      attr('maxPayloadSize', 'integer', 'The maximum payload size in bytes.', { ...ro, required: true }),
    ]),
    supported('filter', 'A complex type that specifies FILTER options.', [attr('maxResults', 'integer', 'The maximum number of resources returned in a response.', { ...ro, required: true })]),
    supported('changePassword', 'A complex type that specifies configuration options related to changing a password.'),
    supported('sort', 'A complex type that specifies sort result options.'),
    supported('etag', 'A complex type that specifies ETag configuration options.'),
    complex(
      'authenticationSchemes',
      'A complex type that specifies supported authentication scheme properties.',
      [
        str('type', 'The authentication scheme.', { ...ro, required: true }),
        str('name', 'The common authentication scheme name.', { ...ro, required: true }),
        str('description', 'A description of the authentication scheme.', { ...ro, required: true }),
        attr('specUri', 'reference', 'An HTTP-addressable URL pointing to the authentication scheme\'s specification.', { ...ro, referenceTypes: ['external'] }),
        attr('documentationUri', 'reference', 'An HTTP-addressable URL pointing to the authentication scheme\'s usage documentation.', { ...ro, referenceTypes: ['external'] }),
        attr('primary', 'boolean', 'Whether this is the preferred scheme.', ro),
      ],
      { ...ro, multiValued: true, required: true },
    ),
  ],
};

export const resourceTypeSchema: SchemaDef = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  name: 'ResourceType',
  description: 'Specifies the schema that describes a SCIM resource type',
  attributes: [
    str('id', 'The resource type\'s server unique id.', ro),
    str('name', 'The resource type name.', { ...ro, required: true }),
    str('description', 'The resource type\'s human-readable description.', ro),
    attr('endpoint', 'reference', 'The resource type\'s HTTP-addressable endpoint relative to the Base URL.', { ...ro, required: true, referenceTypes: ['uri'] }),
    attr('schema', 'reference', 'The resource type\'s primary/base schema URI.', { ...ro, required: true, caseExact: true, referenceTypes: ['uri'] }),
    complex(
      'schemaExtensions',
      'A list of URIs of the resource type\'s schema extensions.',
      [
        attr('schema', 'reference', 'The URI of a schema extension.', { ...ro, required: true, caseExact: true, referenceTypes: ['uri'] }),
        attr('required', 'boolean', 'Whether resources must include this schema extension.', { ...ro, required: true }),
      ],
      { ...ro, multiValued: true },
    ),
  ],
};

const attributeFields = (depth: number): AttributeDef[] => [
  str('name', 'The attribute\'s name.', { ...ro, required: true, caseExact: true }),
  str('type', 'The attribute\'s data type.', { ...ro, required: true, canonicalValues: ['string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'] }),
  attr('multiValued', 'boolean', 'Whether the attribute is multi-valued.', { ...ro, required: true }),
  str('description', 'A human-readable description of the attribute.', ro),
  attr('required', 'boolean', 'Whether the attribute is required.', ro),
  str('canonicalValues', 'A collection of canonical values.', { ...ro, multiValued: true, caseExact: true }),
  attr('caseExact', 'boolean', 'Whether string values are case sensitive.', ro),
  str('mutability', 'Whether the attribute is modifiable.', { ...ro, canonicalValues: ['readOnly', 'readWrite', 'immutable', 'writeOnly'] }),
  str('returned', 'When the attribute is returned in a response.', { ...ro, canonicalValues: ['always', 'never', 'default', 'request'] }),
  str('uniqueness', 'How the service provider enforces uniqueness of attribute values.', { ...ro, canonicalValues: ['none', 'server', 'global'] }),
  str('referenceTypes', 'The names of the resource types that may be referenced.', { ...ro, multiValued: true, caseExact: true }),
  ...(depth > 0 ? [complex('subAttributes', 'Used to define the sub-attributes of a complex attribute.', attributeFields(depth - 1), { ...ro, multiValued: true })] : []),
];

export const schemaSchema: SchemaDef = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  name: 'Schema',
  description: 'Specifies the schema attributes of a resource',
  attributes: [
    str('id', 'The unique URI of the schema.', { ...ro, required: true, caseExact: true }),
    str('name', 'The schema\'s human-readable name.', ro),
    str('description', 'The schema\'s human-readable description.', ro),
    complex('attributes', 'A complex attribute that includes the attributes of a schema.', attributeFields(1), { ...ro, multiValued: true, required: true }),
  ],
};
