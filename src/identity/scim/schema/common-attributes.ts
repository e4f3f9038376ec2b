import { attr, complex, str, type AttributeDef } from './attribute.ts';

/** Attributes every resource has (RFC 7643 §3.1), addressable in filters, sorting and `attributes`. */
export const commonAttributes: readonly AttributeDef[] = [
  str('id', 'Unique identifier for the SCIM resource, assigned by the server.', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  str('externalId', 'An identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  complex(
    'meta',
    'Resource metadata.',
    [
      str('resourceType', 'The name of the resource type of the resource.', { mutability: 'readOnly', caseExact: true }),
      attr('created', 'dateTime', 'The date and time the resource was added to the service provider.', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'The most recent date and time the resource was modified.', { mutability: 'readOnly' }),
      attr('location', 'reference', 'The URI of the resource being returned.', { mutability: 'readOnly', caseExact: true }),
      str('version', 'The version (weak ETag) of the resource being returned.', { mutability: 'readOnly', caseExact: true }),
    ],
    { mutability: 'readOnly' },
  ),
];
