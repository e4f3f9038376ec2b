import { attr, complex, str, type SchemaDef } from './attribute.ts';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group. Team memberSelectors can select its members by displayName.',
  attributes: [
    str('displayName', 'A human-readable name for the Group. Unique among groups, case-insensitively.', { required: true, uniqueness: 'server' }),
    complex(
      'members',
      'A list of members of the Group (Users).',
      [
        str('value', 'Identifier of the member of this Group.', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', { mutability: 'immutable', referenceTypes: ['User'] }),
        str('type', 'A label indicating the type of resource.', { mutability: 'immutable', canonicalValues: ['User'] }),
        str('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
      ],
      { multiValued: true, maxItems: 10_000 },
    ),
  ],
};
