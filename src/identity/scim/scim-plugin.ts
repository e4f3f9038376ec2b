import type { FastifyError, FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { discoveryRoutes } from './discovery.route.ts';
import { groupRoutes } from './groups.route.ts';
import type { ScimConfig } from './scim-config.schema.ts';
import { bearerToken, createScimTokenCheck } from './scim-auth.ts';
import { renderScimError, ScimError } from './scim-errors.ts';
import { SCIM_CONTENT_TYPE } from './scim-http.ts';
import { userRoutes } from './users.route.ts';

export { SCIM_PREFIX } from './scim-http.ts';

export interface ScimPluginOptions {
  readonly db: Db;
  readonly config: ScimConfig;
}

/** Bodies above this are refused (413): no single SCIM request needs more (bulk is not offered). */
export const MAX_SCIM_BODY_BYTES = 2 * 1024 * 1024;

// Postgres or the network away: the client should retry (IdPs do, on 5xx), and nothing was written.
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);

/**
 * The SCIM 2.0 service provider (RFC 7643/7644), mounted under /scim/v2 by the admin
 * process (`stipend admin`) or `stipend dev`. Encapsulated: its own bearer tokens, body
 * parsers (application/scim+json and application/json), error shape and 404s.
 */
export async function scimPlugin(app: FastifyInstance, options: ScimPluginOptions): Promise<void> {
  const check = createScimTokenCheck(options.config.tokens);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/scim+json', 'application/json'], { parseAs: 'string', bodyLimit: MAX_SCIM_BODY_BYTES }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(new ScimError(400, 'The request body is empty; a JSON object was expected.', 'invalidSyntax'));
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ScimError(400, 'The request body is not valid JSON.', 'invalidSyntax'));
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token === null || !check(token)) {
      reply.header('www-authenticate', 'Bearer realm="stipend-scim"');
      throw new ScimError(401, token === null ? 'Authorization: Bearer <SCIM token> is required.' : 'The SCIM token is not valid.');
    }
  });

  app.setErrorHandler((error: FastifyError | ScimError, request, reply) => {
    let scim: ScimError;
    if (error instanceof ScimError) scim = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') scim = new ScimError(413, `The request body is larger than ${MAX_SCIM_BODY_BYTES} bytes.`);
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') scim = new ScimError(415, 'Send the body as application/scim+json (or application/json).');
    else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') scim = new ScimError(400, 'The request body is not valid JSON.', 'invalidSyntax');
    else if (postgresCode(error) === '23505') scim = new ScimError(409, 'A resource with the same unique value (userName, email or displayName) already exists.', 'uniqueness');
    else if (UNAVAILABLE.has(postgresCode(error) ?? '') || /Connection terminated|connect ECONNREFUSED/.test(error.message)) {
      request.log.warn({ err: error }, 'SCIM request failed: database unavailable');
      reply.header('retry-after', '5');
      scim = new ScimError(503, 'The database is unavailable; nothing was changed. Retry shortly.');
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) scim = new ScimError(400, error.message, 'invalidSyntax');
    else {
      request.log.error({ err: error }, 'SCIM request failed');
      scim = new ScimError(500, 'Internal error; see the server log. Nothing was changed.');
    }
    return reply.status(scim.status).type(SCIM_CONTENT_TYPE).send(renderScimError(scim));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).type(SCIM_CONTENT_TYPE).send(renderScimError(new ScimError(404, `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`))),
  );

  discoveryRoutes(app, { baseUrl: options.config.baseUrl });
  userRoutes(app, { db: options.db, baseUrl: options.config.baseUrl, jobLevel: options.config.jobLevel });
  groupRoutes(app, { db: options.db, baseUrl: options.config.baseUrl });
}

function postgresCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
