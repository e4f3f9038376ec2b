import type { FastifyRequest } from 'fastify';
import { hashApiKey } from '../keys/api-key.ts';
import type { PersonPolicy } from '../policy/compile-policy.ts';
import { GatewayError } from './errors.ts';
import type { PolicyStore } from './policy-store.ts';

/**
 * Step 1: the key (Bearer or x-api-key, as the OpenAI and Anthropic SDKs send it; x-goog-api-key
 * or `?key=` on Gemini's routes, as Google's clients do) is hashed and looked up in memory.
 */
export function authenticate(request: FastifyRequest, policy: PolicyStore): PersonPolicy {
  const key = presentedKey(request);
  if (!key) {
    throw new GatewayError('missing_api_key', 'You did not provide an API key. Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".');
  }
  const person = policy.current().byKeyHash.get(hashApiKey(key));
  if (!person) throw new GatewayError('invalid_api_key', 'Incorrect, revoked or expired API key.');
  return person;
}

function presentedKey(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.toLowerCase().startsWith('bearer ')) {
    const key = authorization.slice(7).trim();
    if (key) return key;
  }
  for (const header of ['x-api-key', 'x-goog-api-key']) {
    const apiKey = request.headers[header];
    if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  }
  // Google's REST examples put the key in the query; only Gemini's routes take it there.
  if (isGeminiRoute(request.url) || /^\/v1\/models(?:[/?]|$)/.test(request.url)) {
    const key = new URLSearchParams(request.url.slice(request.url.indexOf('?') + 1)).get('key');
    if (request.url.includes('?') && key) return key;
  }
  return null;
}

/** Gemini's native routes: /v1beta/…, and /v1/models/{model}:{method} (what @google/genai 3.x calls). */
export function isGeminiRoute(url: string): boolean {
  return url.startsWith('/v1beta/') || url === '/v1beta' || /^\/v1\/models\/[^/?]+(?::|%3A)/i.test(url);
}
