import type { FastifyRequest } from 'fastify';
import type { AuditActorKind } from '../db/database.ts';
import type { AuditActor } from './audit-log.repository.ts';

/**
 * The audit "who" of an HTTP request. The address is the peer's; a proxy's X-Forwarded-For
 * is kept beside it as said, not trusted (a client can send one).
 */
export function requestActor(request: FastifyRequest, actor: string, kind: AuditActorKind, access: string | null): AuditActor {
  const forwarded = request.headers['x-forwarded-for'];
  const ua = request.headers['user-agent'];
  const xff = typeof forwarded === 'string' && forwarded.trim() ? ` (x-forwarded-for: ${forwarded.trim()})` : '';
  return { actor, kind, access, ip: `${request.ip}${xff}`, userAgent: typeof ua === 'string' ? ua : null };
}
