import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listAudit, recordAudit } from '../../audit-log/audit-log.repository.ts';
import type { Db } from '../../db/database.ts';
import { createServiceKey, revokeApiKeys, UnknownPersonError, UnknownServiceAccountError } from '../../keys/api-keys.repository.ts';
import { listPeopleAccess, listServiceAccounts, restorePersonAccess, revokePersonAccess } from '../../keys/person-access.repository.ts';
import { AdminError } from '../admin-errors.ts';
import { ACCESS_CSP, accessPage } from '../dashboard/access.page.ts';
import { parseQuery } from '../parse-query.ts';

const email = z.string().trim().toLowerCase().email().max(254);
const dns = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label').max(63);
const formBool = z
  .union([z.literal('on'), z.literal('true'), z.literal('false'), z.boolean()])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

/**
 * Admin access control: one-click revoke (every key of a person, optionally suspending
 * them), restore, service keys, and the audit log. Every change is audited in its own
 * transaction; a read-only caller's attempt is refused and audited as refused.
 */
export const accessRoutes: FastifyPluginAsync<{ readonly db: Db }> = async (app, { db }) => {
  /** Only admins change anything; a refused attempt is on the record too. */
  const mustBeAdmin = async (request: FastifyRequest, action: string, target: string) => {
    if (request.access === 'admin') return;
    if (request.actor) await recordAudit(db, request.actor, { action, target, outcome: 'refused', details: { reason: 'read-only access' } });
    throw new AdminError('forbidden', `This access is read-only; ${action} needs an admin.`);
  };

  const revoke = async (request: FastifyRequest, address: string, suspend: boolean) => {
    await mustBeAdmin(request, 'access.revoke', `person:${address}`);
    try {
      return await revokePersonAccess(db, address, { suspend, audit: request.actor! });
    } catch (error) {
      if (error instanceof UnknownPersonError) throw new AdminError('not_found', `No person with email ${address}.`);
      throw error;
    }
  };
  const restore = async (request: FastifyRequest, address: string) => {
    await mustBeAdmin(request, 'access.restore', `person:${address}`);
    try {
      await restorePersonAccess(db, address, request.actor!);
    } catch (error) {
      if (error instanceof UnknownPersonError) throw new AdminError('not_found', `No person with email ${address}.`);
      throw error;
    }
  };

  // --- the dashboard's access page (server-rendered forms, CSRF token in a field) ---
  const pageQuery = z.strictObject({
    q: z.string().max(200).optional(),
    done: z.enum(['revoked', 'restored']).optional(),
    who: z.string().max(254).optional(),
    n: z.string().regex(/^\d{1,6}$/).optional(),
    suspended: z.enum(['0', '1']).optional(),
  });
  app.get('/dashboard/access', async (request, reply) => {
    const q = parseQuery(pageQuery, request.query);
    const limit = 200;
    const [people, services, audit] = await Promise.all([listPeopleAccess(db, q.q?.trim() || null, limit), listServiceAccounts(db), listAudit(db, { limit: 50 })]);
    const notice =
      q.done === 'revoked' && q.who
        ? `Revoked ${q.n ?? '0'} key(s) of ${q.who}${q.suspended === '1' ? ' and suspended them' : ''}. Every gateway refuses them within a second.`
        : q.done === 'restored' && q.who
          ? `Restored access for ${q.who}: they may create keys again.`
          : null;
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', ACCESS_CSP)
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .send(
        accessPage({
          q: q.q ?? '',
          people,
          limit,
          services,
          audit: audit.map((a) => ({ ...a, at: new Date(a.at) })),
          access: request.access!,
          actor: request.actor?.actor ?? '',
          csrf: request.csrfExpected ?? null,
          notice,
        }),
      );
  });

  const revokeForm = z.object({ email, suspend: formBool, csrf: z.string().optional() });
  app.post('/dashboard/access/revoke', async (request, reply) => {
    const form = parseQuery(revokeForm, request.body);
    const result = await revoke(request, form.email, form.suspend);
    const qs = new URLSearchParams({ q: form.email, done: 'revoked', who: form.email, n: String(result.revoked), suspended: result.suspended ? '1' : '0' });
    return reply.redirect(`/dashboard/access?${qs}`, 303);
  });
  app.post('/dashboard/access/restore', async (request, reply) => {
    const form = parseQuery(z.object({ email, csrf: z.string().optional() }), request.body);
    await restore(request, form.email);
    return reply.redirect(`/dashboard/access?${new URLSearchParams({ q: form.email, done: 'restored', who: form.email })}`, 303);
  });

  // --- the same through the JSON API (automation with a Bearer token) ---
  app.post('/api/people/:email/revoke-access', async (request) => {
    const { email: address } = parseQuery(z.strictObject({ email }), request.params);
    const body = parseQuery(z.strictObject({ suspend: z.boolean().default(false) }), request.body ?? {});
    return revoke(request, address, body.suspend);
  });
  app.post('/api/people/:email/restore-access', async (request) => {
    const { email: address } = parseQuery(z.strictObject({ email }), request.params);
    await restore(request, address);
    return { restored: true };
  });

  app.get('/api/audit', async (request) => {
    const q = parseQuery(
      z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100), target: z.string().max(320).optional(), before: z.string().regex(/^\d{1,18}$/).optional() }),
      request.query,
    );
    const rows = await listAudit(db, { limit: q.limit, ...(q.target ? { target: q.target } : {}), ...(q.before ? { beforeId: BigInt(q.before) } : {}) });
    return {
      entries: rows.map((r) => ({
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        actorKind: r.actor_kind,
        access: r.access,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        details: r.details,
        ip: r.ip,
        userAgent: r.user_agent,
      })),
    };
  });

  app.get('/api/service-accounts', async () => ({ serviceAccounts: await listServiceAccounts(db) }));

  const serviceParams = z.strictObject({ namespace: dns, team: dns, name: dns });
  app.post('/api/service-accounts/:namespace/:team/:name/keys', async (request, reply) => {
    const p = parseQuery(serviceParams, request.params);
    const ref = `${p.namespace}/${p.team}/${p.name}`;
    await mustBeAdmin(request, 'key.create', `service:${ref}`);
    const body = parseQuery(z.strictObject({ name: z.string().trim().min(1).max(64).optional() }), request.body ?? {});
    try {
      const created = await createServiceKey(db, ref, body.name ?? null, { audit: request.actor! });
      // The only time the key exists in clear text.
      return reply.status(201).header('cache-control', 'no-store').send({ id: String(created.id), key: created.key, serviceAccount: ref });
    } catch (error) {
      if (error instanceof UnknownServiceAccountError) throw new AdminError('not_found', error.message);
      throw error;
    }
  });
  app.post('/api/service-accounts/:namespace/:team/:name/revoke', async (request) => {
    const p = parseQuery(serviceParams, request.params);
    const ref = `${p.namespace}/${p.team}/${p.name}`;
    await mustBeAdmin(request, 'key.revoke', `service:${ref}`);
    return { revoked: await revokeApiKeys(db, { service: ref }, { audit: request.actor! }) };
  });
};
