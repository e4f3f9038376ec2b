import type { FastifyRequest } from 'fastify';
import { hashApiKey } from '../keys/api-key.ts';
import type { PersonPolicy } from '../policy/compile-policy.ts';
import { GatewayError } from './errors.ts';
import type { PolicyStore } from './policy-store.ts';

/** Step 1: the key (Bearer or x-api-key, as either SDK sends it) is hashed and looked up in memory. */
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
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}
