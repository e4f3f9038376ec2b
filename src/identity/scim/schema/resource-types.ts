import type { SchemaDef } from './attribute.ts';
import { GROUP_SCHEMA, groupSchema } from './group-schema.ts';
import { ENTERPRISE_USER_SCHEMA, STIPEND_USER_SCHEMA, USER_SCHEMA, enterpriseUserSchema, stipendUserSchema, userSchema } from './user-schemas.ts';

export interface ResourceTypeDef {
  readonly name: 'User' | 'Group';
  readonly endpoint: '/Users' | '/Groups';
  readonly description: string;
  readonly schema: SchemaDef;
  readonly extensions: readonly SchemaDef[];
}

export const USER_TYPE: ResourceTypeDef = {
  name: 'User',
  endpoint: '/Users',
  description: 'People: each User is a person who may get an AI budget',
  schema: userSchema,
  extensions: [enterpriseUserSchema, stipendUserSchema],
};

export const GROUP_TYPE: ResourceTypeDef = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Groups of people, usable in Team memberSelectors',
  schema: groupSchema,
  extensions: [],
};

export const RESOURCE_TYPES: readonly ResourceTypeDef[] = [USER_TYPE, GROUP_TYPE];

export function publishResourceType(rt: ResourceTypeDef, baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema.id,
    schemaExtensions: rt.extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.name}` },
  };
}

export { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, STIPEND_USER_SCHEMA, USER_SCHEMA };
