import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildAdminApp } from '../../../src/admin/admin-app.ts';
import type { JobLevelMapping } from '../../../src/identity/people/job-level.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../../src/reports/exports/export-config.schema.ts';
import type { Db } from '../../../src/db/database.ts';

export const SCIM_TOKEN = 'scim-token-0123456789abcdef0123';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const STIPEND = 'urn:ietf:params:scim:schemas:extension:stipend:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimApp {
  readonly app: FastifyInstance;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** The admin app with SCIM mounted, driven through app.inject() as an IdP would call it. */
export function scimApp(db: Db, options: { readonly jobLevel?: JobLevelMapping } = {}): ScimApp {
  const app = buildAdminApp({
    db,
    adminTokens: [ADMIN_TOKEN],
    exportConfig: DEFAULT_EXPORT_CONFIG,
    scim: { tokens: [SCIM_TOKEN], baseUrl: 'https://stipend.example.com/scim/v2', jobLevel: options.jobLevel },
  });
  return {
    app,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url: `/scim/v2${url}`,
        headers: { authorization: `Bearer ${SCIM_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
  };
}

export const patchOp = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });
