import type { FastifyInstance } from 'fastify';
import { listResponse } from './list-results.ts';
import { publishAttribute, type SchemaDef } from './schema/attribute.ts';
import { resourceTypeSchema, schemaSchema, serviceProviderConfigSchema } from './schema/discovery-schemas.ts';
import { RESOURCE_TYPES, publishResourceType } from './schema/resource-types.ts';
import { MAX_RESULTS } from './list-query.ts';
import { baseUrlOf, send } from './scim-http.ts';
import { ScimError, notFound } from './scim-errors.ts';

const SCHEMAS: readonly SchemaDef[] = [...RESOURCE_TYPES.flatMap((rt) => [rt.schema, ...rt.extensions]), serviceProviderConfigSchema, resourceTypeSchema, schemaSchema];

const publishSchema = (s: SchemaDef, base: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
  id: s.id,
  name: s.name,
  description: s.description,
  attributes: s.attributes.map(publishAttribute),
  meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
});

/** ServiceProviderConfig, ResourceTypes and Schemas (RFC 7644 §4): read-only, so other methods answer 405. */
export function discoveryRoutes(app: FastifyInstance, options: { readonly baseUrl: string | undefined }): void {
  const base = (request: Parameters<typeof baseUrlOf>[0]) => baseUrlOf(request, options.baseUrl);

  app.get('/ServiceProviderConfig', async (request, reply) =>
    send(reply, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_RESULTS },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'A long-lived bearer token per SCIM client, configured from a Kubernetes Secret (STIPEND_SCIM_TOKENS).',
          specUri: 'https://www.rfc-editor.org/info/rfc6750',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base(request)}/ServiceProviderConfig` },
    }),
  );

  app.get('/ResourceTypes', async (request, reply) => {
    const all = RESOURCE_TYPES.map((rt) => publishResourceType(rt, base(request)));
    return send(reply, 200, listResponse(all, all.length, 1));
  });
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) => {
    const rt = RESOURCE_TYPES.find((r) => r.name === request.params.id);
    if (!rt) throw notFound(`No resource type "${request.params.id}".`);
    return send(reply, 200, publishResourceType(rt, base(request)));
  });

  app.get('/Schemas', async (request, reply) => {
    const all = SCHEMAS.map((s) => publishSchema(s, base(request)));
    return send(reply, 200, listResponse(all, all.length, 1));
  });
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
    const schema = SCHEMAS.find((s) => s.id.toLowerCase() === request.params.id.toLowerCase());
    if (!schema) throw notFound(`No schema "${request.params.id}".`);
    return send(reply, 200, publishSchema(schema, base(request)));
  });

  const readOnly = async () => {
    throw new ScimError(405, 'This endpoint is read-only (GET).');
  };
  for (const url of ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/:id', '/Schemas', '/Schemas/:id']) {
    app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url, handler: readOnly });
  }
  // Not offered: bulk operations, searching every resource type at once, /Me (RFC 7644 §3.7, §3.4.3, §3.11).
  const notImplemented = (what: string) => async () => {
    throw new ScimError(501, `${what} is not supported by this server (see /ServiceProviderConfig).`);
  };
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/Bulk', handler: notImplemented('Bulk') });
  app.post('/.search', notImplemented('Searching every resource type at once'));
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/Me', handler: notImplemented('/Me') });
}
