import type { AuditActorKind, Db } from '../db/database.ts';

/** Who did something, from where: a signed-in person (SSO), an admin token, or the CLI. */
export interface AuditActor {
  readonly actor: string;
  readonly kind: AuditActorKind;
  /** admin, read or employee; null for the CLI (whoever holds the database credentials). */
  readonly access: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface AuditEntry {
  readonly action: string;
  readonly target: string | null;
  readonly outcome?: 'done' | 'refused';
  readonly details?: Readonly<Record<string, unknown>>;
}

const clip = (s: string | null, n: number) => (s === null ? null : s.slice(0, n));

/** Appends one row to the write-once audit log; call it inside the transaction that makes the change. */
export async function recordAudit(db: Db, who: AuditActor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: clip(who.actor, 320)!,
      actor_kind: who.kind,
      access: who.access,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome ?? 'done',
      details: JSON.stringify(entry.details ?? {}),
      ip: clip(who.ip, 256),
      user_agent: clip(who.userAgent, 512),
    })
    .execute();
}

export interface AuditQuery {
  readonly limit: number;
  readonly target?: string;
  readonly beforeId?: bigint;
}

/** Newest first. */
export async function listAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.target !== undefined) query = query.where('target', '=', q.target);
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
  return query.execute();
}
