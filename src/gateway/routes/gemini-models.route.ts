// Gemini's model listing: GET /v1beta/models (and /v1/models from a Google client: a
// request with x-goog-api-key or ?key=), GET /v1beta/models/{model}. Only the Gemini models
// this key may call, in Gemini's shape; pages follow `pageSize` / `pageToken`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../authenticate.ts';
import { callableModels, type CallableModelsDeps } from '../callable-models.ts';
import { GatewayError } from '../errors.ts';
import type { PricedModel } from '../../pricing/catalog.ts';

/** A client of Google's API: it sends its key as Google's clients do. */
export const isGoogleClient = (request: FastifyRequest): boolean =>
  typeof request.headers['x-goog-api-key'] === 'string' || new URLSearchParams(request.url.split('?')[1] ?? '').has('key');

const describe = (m: PricedModel) => ({
  name: `models/${m.model}`,
  baseModelId: m.model,
  version: '001',
  displayName: m.model,
  ...(m.contextWindow !== undefined ? { inputTokenLimit: m.contextWindow } : {}),
  outputTokenLimit: m.maxOutputTokens,
  supportedGenerationMethods: ['generateContent', 'countTokens'],
});

const MAX_PAGE = 1000;
const CREATED = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);

export function geminiModelList(deps: CallableModelsDeps, request: FastifyRequest, reply: FastifyReply) {
  const person = authenticate(request, deps.policy);
  const models = callableModels(deps, person).filter((m) => m.provider === 'google');
  const query = request.query as { pageSize?: string; pageToken?: string };
  const size = Math.min(MAX_PAGE, Math.max(1, Number(query.pageSize) || 50));
  const offset = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString('utf8')) || 0 : 0;
  const page = models.slice(offset, offset + size);
  const next = offset + size < models.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
  return reply.send({ models: page.map(describe), ...(next ? { nextPageToken: next } : {}) });
}

export async function geminiModelsRoutes(app: FastifyInstance, deps: CallableModelsDeps): Promise<void> {
  app.get('/v1beta/models', (request, reply) => geminiModelList(deps, request, reply));
  const one = async (request: FastifyRequest, reply: FastifyReply) => {
    const person = authenticate(request, deps.policy);
    const id = decodeURIComponent((request.params as { model: string }).model);
    // /v1/models/{id} is also OpenAI's "retrieve model": answer OpenAI's clients in their shape.
    const google = request.url.startsWith('/v1beta/') || isGoogleClient(request);
    const model = callableModels(deps, person).find((m) => m.model === id && (!google || m.provider === 'google'));
    if (!model) throw new GatewayError('model_not_found', `The model '${id}' does not exist, or this key may not call it.`, 'model');
    return reply.send(google ? describe(model) : { id: model.model, object: 'model', created: CREATED, owned_by: model.provider });
  };
  app.get('/v1beta/models/:model', one);
  app.get('/v1/models/:model', one);
}
