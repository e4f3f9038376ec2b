import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../pricing/catalog.ts';
import { authenticate } from '../authenticate.ts';
import type { PolicyStore } from '../policy-store.ts';
import { callableModels } from '../callable-models.ts';
import { geminiModelList, isGoogleClient } from './gemini-models.route.ts';
import type { Router } from '../upstreams/router.ts';

export interface ModelsRouteOptions {
  readonly policy: PolicyStore;
  readonly catalog: Catalog;
  readonly router: Router;
  readonly blockUnpriced: boolean;
}

const CREATED = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);

/** GET /v1/models lists only what this key may call, in OpenAI's shape or, for Anthropic clients, Anthropic's. */
export async function modelsRoutes(app: FastifyInstance, options: ModelsRouteOptions): Promise<void> {
  app.get('/v1/models', async (request, reply) => {
    // @google/genai 3.x lists models at /v1/models too: answer it in Gemini's shape.
    if (isGoogleClient(request)) return geminiModelList(options, request, reply);
    const person = authenticate(request, options.policy);
    const models = callableModels(options, person);
    if (typeof request.headers['anthropic-version'] === 'string') {
      const data = models
        .filter((m) => m.provider === 'anthropic')
        .map((m) => ({ type: 'model', id: m.model, display_name: m.model, created_at: new Date(CREATED * 1000).toISOString() }));
      return reply.send({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    return reply.send({
      object: 'list',
      data: models.map((m) => ({ id: m.model, object: 'model', created: CREATED, owned_by: m.provider })),
    });
  });
}
