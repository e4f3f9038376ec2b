import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { listApiKeys, revokeApiKeys } from '../../keys/api-keys.repository.ts';
import { requireAdmin } from '../admin-auth.ts';
import { AdminError } from '../admin-errors.ts';
import { parseQuery } from '../parse-query.ts';

export const keyRoutes: FastifyPluginAsync<{ readonly db: Db }> = async (app, { db }) => {
  // Never the hash, never the key: id, owner, display prefix, dates.
  app.get('/api/keys', async () => ({
    keys: (await listApiKeys(db)).map((k) => ({
      id: String(k.id),
      email: k.email,
      prefix: k.key_prefix,
      name: k.name,
      createdAt: k.created_at,
      revokedAt: k.revoked_at,
      status: k.revoked_at ? 'revoked' : 'active',
    })),
  }));

  app.post('/api/keys/:id/revoke', async (request) => {
    requireAdmin(request);
    const { id } = parseQuery(z.strictObject({ id: z.string().regex(/^\d{1,18}$/, 'must be a key id') }), request.params);
    const exists = (await listApiKeys(db)).some((k) => k.id === BigInt(id));
    if (!exists) throw new AdminError('not_found', `No API key with id ${id}.`);
    return { revoked: await revokeApiKeys(db, { id: BigInt(id) }) };
  });
};
