import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../audit-log/audit-log.repository.ts';
import type { Db } from '../db/database.ts';
import { notifyChange } from '../policy/notify-change.ts';
import { keysChanged } from '../policy/policy-change.ts';
import { UnknownPersonError } from './api-keys.repository.ts';

export interface RevokeAccessResult {
  readonly revoked: number;
  readonly suspended: boolean;
}

/**
 * One-click revoke: every key of the person, in one transaction with its audit row; the
 * NOTIFY goes out on commit, so every gateway replica refuses the keys within a second.
 * With `suspend`, the person also may not create keys (portal or CLI) until restored —
 * kept apart from `active`, which YAML and SCIM own and would turn back on.
 */
export async function revokePersonAccess(db: Db, email: string, options: { readonly suspend: boolean; readonly audit: AuditActor }): Promise<RevokeAccessResult> {
  const address = email.toLowerCase();
  return db.transaction().execute(async (tx) => {
    const person = await tx.selectFrom('people').select(['id', 'access_suspended_at']).where('email', '=', address).forUpdate().executeTakeFirst();
    if (!person) throw new UnknownPersonError(`no person with email ${address}`);
    const revoked = await tx
      .updateTable('api_keys')
      .set({ revoked_at: sql`now()` })
      .where('person_id', '=', person.id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    if (options.suspend && !person.access_suspended_at) {
      await tx.updateTable('people').set({ access_suspended_at: sql`now()`, access_suspended_by: options.audit.actor }).where('id', '=', person.id).execute();
    }
    await recordAudit(tx, options.audit, {
      action: 'access.revoke',
      target: `person:${address}`,
      details: { revokedKeys: revoked.map((r) => String(r.id)), suspend: options.suspend },
    });
    await notifyChange(tx, keysChanged([person.id]));
    return { revoked: revoked.length, suspended: options.suspend || person.access_suspended_at !== null };
  });
}

/** Lifts a suspension: the person may create keys again (none of the revoked ones come back). */
export async function restorePersonAccess(db: Db, email: string, audit: AuditActor): Promise<boolean> {
  const address = email.toLowerCase();
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('people')
      .set({ access_suspended_at: null, access_suspended_by: null })
      .where('email', '=', address)
      .returning('access_suspended_at')
      .executeTakeFirst();
    if (!updated) throw new UnknownPersonError(`no person with email ${address}`);
    await recordAudit(tx, audit, { action: 'access.restore', target: `person:${address}` });
    return true;
  });
}

export interface AccessRow {
  readonly email: string;
  readonly name: string | null;
  readonly active: boolean;
  readonly teams: string | null;
  readonly activeKeys: number;
  readonly suspendedAt: Date | null;
  readonly suspendedBy: string | null;
}

/** People with their active key counts, for the dashboard's access page (searchable, bounded). */
export async function listPeopleAccess(db: Db, q: string | null, limit: number): Promise<AccessRow[]> {
  let query = db
    .selectFrom('people')
    .select(['people.email', 'people.name', 'people.active', 'people.access_suspended_at', 'people.access_suspended_by'])
    .select(sql<string>`(select count(*) from api_keys k where k.person_id = people.id and k.revoked_at is null)`.as('active_keys'))
    .select(
      sql<string | null>`(select string_agg(t.namespace || '/' || t.name, ', ' order by t.namespace, t.name) from team_members m join teams t on t.id = m.team_id and t.active where m.person_id = people.id)`.as('teams'),
    )
    .orderBy('people.email')
    .limit(limit);
  if (q) query = query.where((eb) => eb.or([eb('people.email', 'ilike', `%${escapeLike(q)}%`), eb('people.name', 'ilike', `%${escapeLike(q)}%`)]));
  const rows = await query.execute();
  return rows.map((r) => ({
    email: r.email,
    name: r.name,
    active: r.active,
    teams: r.teams,
    activeKeys: Number(r.active_keys),
    suspendedAt: r.access_suspended_at ? new Date(r.access_suspended_at) : null,
    suspendedBy: r.access_suspended_by,
  }));
}

/** Service accounts with their active key counts. */
export async function listServiceAccounts(db: Db) {
  const rows = await db
    .selectFrom('service_accounts')
    .innerJoin('teams', 'teams.id', 'service_accounts.team_id')
    .select(['teams.namespace', 'teams.name as team', 'service_accounts.name', 'service_accounts.description', 'service_accounts.job_level', 'service_accounts.active'])
    .select(sql<string>`(select count(*) from api_keys k where k.service_account_id = service_accounts.id and k.revoked_at is null)`.as('active_keys'))
    .orderBy('teams.namespace')
    .orderBy('teams.name')
    .orderBy('service_accounts.name')
    .execute();
  return rows.map((r) => ({
    ref: `${r.namespace}/${r.team}/${r.name}`,
    description: r.description,
    jobLevel: r.job_level,
    active: r.active,
    activeKeys: Number(r.active_keys),
  }));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
