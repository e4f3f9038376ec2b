import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../audit-log/audit-log.repository.ts';
import type { Db } from '../db/database.ts';
import { notifyChange } from '../policy/notify-change.ts';
import { keysChanged, serviceAccountChanged } from '../policy/policy-change.ts';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key.ts';

export class UnknownPersonError extends Error {
  override readonly name = 'UnknownPersonError';
}

/** An admin revoked the person's access and suspended them: no new keys until it is restored. */
export class AccessSuspendedError extends Error {
  override readonly name = 'AccessSuspendedError';
}

/** The portal's cap on a person's active keys. */
export class TooManyKeysError extends Error {
  override readonly name = 'TooManyKeysError';
}

export class UnknownServiceAccountError extends Error {
  override readonly name = 'UnknownServiceAccountError';
}

export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError';
}

export interface KeyChangeOptions {
  /** Written to the audit log in the same transaction as the change. */
  readonly audit?: AuditActor;
  /** Refuse when the person already has this many active keys (the portal's cap). */
  readonly maxActive?: number;
}

export interface CreatedKey {
  readonly key: string;
  readonly id: bigint;
}

/** Creates a key for an active person and returns it in clear text, the only time it exists. */
export async function createApiKey(db: Db, email: string, name: string | null = null, options: KeyChangeOptions = {}): Promise<CreatedKey> {
  return db.transaction().execute(async (tx) => {
    // The row lock serialises a person's concurrent key changes, so the cap holds.
    const person = await tx
      .selectFrom('people')
      .select(['id', 'access_suspended_at'])
      .where('email', '=', email.toLowerCase())
      .where('active', '=', true)
      .forUpdate()
      .executeTakeFirst();
    if (!person) throw new UnknownPersonError(`no active person with email ${email}`);
    if (person.access_suspended_at) throw new AccessSuspendedError(`${email}'s access is suspended by an admin: no new keys until it is restored`);
    if (options.maxActive !== undefined) {
      const active = await countActiveKeys(tx, person.id);
      if (active >= options.maxActive) throw new TooManyKeysError(`${active} active keys already (at most ${options.maxActive}): revoke one first`);
    }
    const created = await insertKey(tx, { person_id: person.id }, name);
    if (options.audit) await recordAudit(tx, options.audit, { action: 'key.create', target: `person:${email.toLowerCase()}`, details: { keyId: String(created.id), prefix: displayPrefix(created.key), name } });
    await notifyChange(tx, keysChanged([person.id]));
    return created;
  });
}

/**
 * Replaces one of a person's active keys by a new one with the same name, in one
 * transaction: the old key stops (on every replica, through NOTIFY) as the new one starts.
 */
export async function rotateApiKey(db: Db, personId: bigint, keyId: bigint, options: KeyChangeOptions = {}): Promise<CreatedKey> {
  return db.transaction().execute(async (tx) => {
    const person = await tx.selectFrom('people').select(['email', 'access_suspended_at']).where('id', '=', personId).where('active', '=', true).forUpdate().executeTakeFirst();
    if (!person) throw new UnknownPersonError(`no active person with id ${personId}`);
    if (person.access_suspended_at) throw new AccessSuspendedError(`${person.email}'s access is suspended by an admin`);
    const old = await tx
      .updateTable('api_keys')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', keyId)
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .returning(['name', 'key_prefix'])
      .executeTakeFirst();
    if (!old) throw new UnknownKeyError(`no active key ${keyId} of this person`);
    const created = await insertKey(tx, { person_id: personId }, old.name);
    if (options.audit) {
      await recordAudit(tx, options.audit, { action: 'key.rotate', target: `person:${person.email}`, details: { revokedKeyId: String(keyId), revokedPrefix: old.key_prefix, keyId: String(created.id), prefix: displayPrefix(created.key) } });
    }
    await notifyChange(tx, keysChanged([personId]));
    return created;
  });
}

/** A service account named `namespace/team/name`, as in `stipend keys create --service`. */
export function parseServiceRef(ref: string): { readonly namespace: string; readonly team: string; readonly name: string } | null {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(ref);
  return m ? { namespace: m[1]!, team: m[3]!, name: m[5]! } : null;
}

async function findServiceAccount(db: Db, ref: string) {
  const parsed = parseServiceRef(ref);
  if (!parsed) throw new UnknownServiceAccountError(`'${ref}' is not a service account reference: use <namespace>/<team>/<name>`);
  const account = await db
    .selectFrom('service_accounts')
    .innerJoin('teams', 'teams.id', 'service_accounts.team_id')
    .select(['service_accounts.id'])
    .where('teams.namespace', '=', parsed.namespace)
    .where('teams.name', '=', parsed.team)
    .where('service_accounts.name', '=', parsed.name)
    .where('service_accounts.active', '=', true)
    .where('teams.active', '=', true)
    .executeTakeFirst();
  if (!account) throw new UnknownServiceAccountError(`no service account ${ref}: declare it in the Team's spec.serviceAccounts first`);
  return account;
}

/** Creates a key for a team's service account (declared in its Team's YAML); printed once. */
export async function createServiceKey(db: Db, ref: string, name: string | null = null, options: KeyChangeOptions = {}): Promise<CreatedKey> {
  return db.transaction().execute(async (tx) => {
    const account = await findServiceAccount(tx, ref);
    const created = await insertKey(tx, { service_account_id: account.id }, name);
    if (options.audit) await recordAudit(tx, options.audit, { action: 'key.create', target: `service:${ref}`, details: { keyId: String(created.id), prefix: displayPrefix(created.key), name } });
    await notifyChange(tx, serviceAccountChanged([account.id]));
    return created;
  });
}

export interface RevokeBy {
  readonly id?: bigint;
  readonly key?: string;
  readonly email?: string;
  readonly personId?: bigint;
  /** Every key of this service account (`namespace/team/name`). */
  readonly service?: string;
}

/** Revokes by key id, by the key itself, every key of a person or of a service account. Returns how many were revoked. */
export async function revokeApiKeys(db: Db, by: RevokeBy, options: KeyChangeOptions & { readonly reason?: string } = {}): Promise<number> {
  return db.transaction().execute(async (tx) => {
    // Every criterion given must match (the CLI documents --id and --email together that way).
    let query = tx.updateTable('api_keys').set({ revoked_at: sql`now()` }).where('revoked_at', 'is', null);
    const targets: string[] = [];
    if (by.id !== undefined) {
      query = query.where('id', '=', by.id);
      targets.push(`key:${by.id}`);
    }
    if (by.key !== undefined) {
      query = query.where('key_hash', '=', hashApiKey(by.key));
      targets.push(`key:${displayPrefix(by.key)}`);
    }
    if (by.email !== undefined) {
      query = query.where('person_id', 'in', tx.selectFrom('people').select('id').where('email', '=', by.email.toLowerCase()));
      targets.push(`person:${by.email.toLowerCase()}`);
    }
    if (by.personId !== undefined) {
      query = query.where('person_id', '=', by.personId);
      targets.push(`person-id:${by.personId}`);
    }
    if (by.service !== undefined) {
      const parsed = parseServiceRef(by.service);
      if (!parsed) throw new UnknownServiceAccountError(`'${by.service}' is not a service account reference: use <namespace>/<team>/<name>`);
      query = query.where(
        'service_account_id',
        'in',
        tx
          .selectFrom('service_accounts')
          .innerJoin('teams', 'teams.id', 'service_accounts.team_id')
          .select('service_accounts.id')
          .where('teams.namespace', '=', parsed.namespace)
          .where('teams.name', '=', parsed.team)
          .where('service_accounts.name', '=', parsed.name),
      );
      targets.push(`service:${by.service}`);
    }
    if (targets.length === 0) throw new Error('revokeApiKeys needs an id, a key, an email, a person or a service account');
    const target = targets.join(' ');
    const revoked = await query.returning(['id', 'key_prefix', 'person_id', 'service_account_id']).execute();
    if (options.audit) {
      await recordAudit(tx, options.audit, { action: 'key.revoke', target, details: { revoked: revoked.map((r) => String(r.id)), ...(options.reason ? { reason: options.reason } : {}) } });
    }
    // Every replica reloads the keys of these people and service accounts only.
    await notifyChange(tx, keysChanged(revoked.flatMap((r) => (r.person_id === null ? [] : [r.person_id]))));
    await notifyChange(tx, serviceAccountChanged(revoked.flatMap((r) => (r.service_account_id === null ? [] : [r.service_account_id]))));
    return revoked.length;
  });
}

/** Every key, of people and service accounts: never the hash, never the key. */
export async function listApiKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .leftJoin('people', 'people.id', 'api_keys.person_id')
    .leftJoin('service_accounts', 'service_accounts.id', 'api_keys.service_account_id')
    .leftJoin('teams', 'teams.id', 'service_accounts.team_id')
    .select(['api_keys.id', 'people.email', 'api_keys.key_prefix', 'api_keys.name', 'api_keys.created_at', 'api_keys.revoked_at'])
    .select(sql<string | null>`case when service_accounts.id is not null then teams.namespace || '/' || teams.name || '/' || service_accounts.name end`.as('service'))
    .orderBy('api_keys.id')
    .execute();
}

/** One person's keys, newest first (the portal). */
export async function listPersonKeys(db: Db, personId: bigint) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'key_prefix', 'name', 'created_at', 'revoked_at'])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .execute();
}

async function countActiveKeys(db: Db, personId: bigint): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function insertKey(tx: Db, owner: { readonly person_id: bigint } | { readonly service_account_id: bigint }, name: string | null): Promise<CreatedKey> {
  const key = generateApiKey();
  const row = await tx
    .insertInto('api_keys')
    .values({ person_id: null, service_account_id: null, ...owner, key_hash: hashApiKey(key), key_prefix: displayPrefix(key), name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { key, id: row.id };
}
