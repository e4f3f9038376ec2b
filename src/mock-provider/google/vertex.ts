// Vertex AI's publisher-model endpoints (v1 and v1beta1):
//   …/projects/{p}/locations/{l}/publishers/anthropic/models/{model}:rawPredict | :streamRawPredict
//      Anthropic Messages with `anthropic_version: "vertex-2023-10-16"` (model in the path), SSE out
//   …/publishers/anthropic/models/count-tokens:rawPredict   token counting
//   …/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent |
//      :streamGenerateContent[?alt=sse] | :countTokens       Gemini's format
// Every call needs `Authorization: Bearer` with an access token from the token
// endpoint, unexpired, with the cloud-platform scope; otherwise 401/403 in Google's shape.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseObject, sendJsonWith } from '../cloud/cloud-http.ts';
import type { GoogleStandInOptions } from '../cloud/cloud-options.ts';
import type { CloudRequest, StandIn } from '../cloud/cloud-request.ts';
import { acceptedVersion } from '../bedrock/bedrock.ts';
import { relayTo } from '../cloud/relay.ts';
import { ROUTES } from '../mock-routes.ts';
import { countInputTokens } from '../mock-text.ts';
import { countTokens, generate, readGenerateBody } from './gemini-generate.ts';
import { geminiModel } from './gemini-models.ts';
import { GOOGLE_HEADERS, errorInfo, googleErrorBody, sendGoogleError } from './google-errors.ts';
import { CLOUD_PLATFORM_SCOPE, type GoogleTokens } from './google-token.ts';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';
const SERVICE = 'aiplatform.googleapis.com';
const PATH = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(anthropic|google)\/models\/([^/:]+)(?::|%3A)([A-Za-z]+)$/i;

const anthropicError = (message: string) => ({ type: 'error', error: { type: 'invalid_request_error', message } });

/** Anthropic's answer with Vertex's headers; a 429 becomes Vertex's quota error. */
function vertexAnthropicRelay(res: ServerResponse, model: string) {
  return relayTo(res, {
    headers: (_status, streaming) => ({ ...GOOGLE_HEADERS, 'content-type': streaming ? 'text/event-stream; charset=utf-8' : 'application/json' }),
    body(status, text) {
      if (status !== 429) return { body: text };
      const message = `Quota exceeded for aiplatform.googleapis.com/online_prediction_input_tokens_per_minute_per_base_model with base model: anthropic-${model}. Please submit a quota increase request. (mock:status=429)`;
      return { body: JSON.stringify(googleErrorBody({ code: 429, message })) };
    },
    event: (block) => `${block}\n\n`,
  });
}

export function vertexStandIn(options: GoogleStandInOptions, tokens: GoogleTokens): StandIn {
  const projects = options.projects === undefined ? undefined : new Set(options.projects);

  return {
    owns: (path) => /^\/(v1|v1beta1)\/projects\//.test(path),

    async serve(req: CloudRequest, res: ServerResponse, settings) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
      if (!bearer) {
        const apiKey = req.headers['x-goog-api-key'] !== undefined || req.query.has('key');
        const message = apiKey
          ? 'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication'
          : 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
        return sendGoogleError(res, { code: 401, message, details: [errorInfo('CREDENTIALS_MISSING', SERVICE)] });
      }
      const token = tokens.check(bearer[1]!, req.now);
      if (!token.ok) {
        const message = 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
        return sendGoogleError(res, { code: 401, message, details: [errorInfo(token.reason, SERVICE)] });
      }
      if (!token.token.scopes.includes(CLOUD_PLATFORM_SCOPE)) {
        return sendGoogleError(res, { code: 403, message: 'Request had insufficient authentication scopes.', details: [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', SERVICE)] });
      }

      const m = req.method === 'POST' ? PATH.exec(req.path) : null;
      if (!m) return sendGoogleError(res, { code: 404, message: 'The requested URL was not found on this server.' });
      const [, , project, location, publisher, rawModel, method] = m as unknown as [string, string, string, string, string, string, string];
      const model = decodeURIComponent(rawModel);
      const resource = `projects/${project}/locations/${location}/publishers/${publisher}/models/${model}`;
      if (projects && !projects.has(project)) {
        return sendGoogleError(res, { code: 403, message: `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`, details: [errorInfo('IAM_PERMISSION_DENIED', SERVICE)] });
      }
      const notFound = () => sendGoogleError(res, { code: 404, message: `Publisher Model \`${resource}\` not found.` });
      const raw = parseObject(req.body);

      if (publisher === 'anthropic') {
        if (method !== 'rawPredict' && method !== 'streamRawPredict') return notFound();
        if (!raw) return sendJsonWith(res, 400, anthropicError('There was an error parsing the body of your request'), GOOGLE_HEADERS);
        if (model === 'count-tokens') {
          const messages = Array.isArray(raw.messages) ? raw.messages : [];
          return sendJsonWith(res, 200, { input_tokens: countInputTokens(messages, raw.system) }, GOOGLE_HEADERS);
        }
        if (!/^claude-/.test(model)) return notFound();
        if (raw.anthropic_version === undefined) return sendJsonWith(res, 400, anthropicError('anthropic_version: Field required'), GOOGLE_HEADERS);
        if (typeof raw.anthropic_version !== 'string' || !acceptedVersion(raw.anthropic_version, VERTEX_ANTHROPIC_VERSION)) {
          return sendJsonWith(res, 400, anthropicError(`anthropic_version: Input should be '${VERTEX_ANTHROPIC_VERSION}'`), GOOGLE_HEADERS);
        }
        const { anthropic_version: _v, ...body } = raw;
        const stream = method === 'streamRawPredict' ? true : body.stream === true;
        const requestId = `req_vrtx_${randomUUID().replaceAll('-', '')}`;
        const reply = { res: vertexAnthropicRelay(res, model), wire: 'anthropic' as const, requestId, startedAt: req.startedAt };
        return ROUTES['/v1/messages']!.serve({ ...body, model, stream }, reply, settings);
      }

      const gemini = geminiModel(model);
      if (!gemini || !['generateContent', 'streamGenerateContent', 'countTokens'].includes(method)) return notFound();
      if (!raw) return sendGoogleError(res, { code: 400, message: 'Invalid JSON payload received. Unexpected token.' });
      if (method === 'countTokens') {
        const counted = countTokens(raw, true);
        return counted.ok ? sendJsonWith(res, 200, counted.body, { ...GOOGLE_HEADERS, 'content-type': 'application/json; charset=UTF-8' }) : sendGoogleError(res, counted.error);
      }
      const read = readGenerateBody(raw, 'GenerateContent');
      if (!read.ok) return sendGoogleError(res, read.error);
      await generate({ body: read.body, model: gemini, stream: method === 'streamGenerateContent', sse: req.query.get('alt') === 'sse', vertex: true, res, settings, startedAt: req.startedAt });
    },
  };
}
