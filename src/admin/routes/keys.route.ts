import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../audit-log/audit-log.repository.ts';
import type { Db } from '../../db/database.ts';
import { listApiKeys, revokeApiKeys } from '../../keys/api-keys.repository.ts';
import { AdminError } from '../admin-errors.ts';
import { parseQuery } from '../parse-query.ts';

export const keyRoutes: FastifyPluginAsync<{ readonly db: Db }> = async (app, { db }) => {
  // Never the hash, never the key: id, owner (a person or a team's service account), display prefix, dates.
  app.get('/api/keys', async () => ({
    keys: (await listApiKeys(db)).map((k) => ({
      id: String(k.id),
      email: k.email,
      serviceAccount: k.service,
      prefix: k.key_prefix,
      name: k.name,
      createdAt: k.created_at,
      revokedAt: k.revoked_at,
      status: k.revoked_at ? 'revoked' : 'active',
    })),
  }));

  app.post('/api/keys/:id/revoke', async (request) => {
    const { id } = parseQuery(z.strictObject({ id: z.string().regex(/^\d{1,18}$/, 'must be a key id') }), request.params);
    if (request.access !== 'admin') {
      if (request.actor) await recordAudit(db, request.actor, { action: 'key.revoke', target: `key:${id}`, outcome: 'refused', details: { reason: 'read-only access' } });
      throw new AdminError('forbidden', 'This access is read-only; revoking keys needs an admin.');
    }
    const exists = await db.selectFrom('api_keys').select('id').where('id', '=', BigInt(id)).executeTakeFirst();
    if (!exists) throw new AdminError('not_found', `No API key with id ${id}.`);
    return { revoked: await revokeApiKeys(db, { id: BigInt(id) }, { ...(request.actor ? { audit: request.actor } : {}) }) };
  });
};
