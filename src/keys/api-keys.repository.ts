import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { notifyChange } from '../policy/notify-change.ts';
import { keysChanged } from '../policy/policy-change.ts';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key.ts';

export class UnknownPersonError extends Error {
  override readonly name = 'UnknownPersonError';
}

/** Creates a key for an active person and returns it in clear text, the only time it exists. */
export async function createApiKey(db: Db, email: string, name: string | null = null): Promise<{ readonly key: string; readonly id: bigint }> {
  const person = await db
    .selectFrom('people')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .where('active', '=', true)
    .executeTakeFirst();
  if (!person) throw new UnknownPersonError(`no active person with email ${email}`);
  const key = generateApiKey();
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_keys')
      .values({ person_id: person.id, key_hash: hashApiKey(key), key_prefix: displayPrefix(key), name })
      .returning('id')
      .executeTakeFirstOrThrow();
    await notifyChange(tx, keysChanged([person.id]));
    return { key, id: row.id };
  });
}

/** Revokes by key id, by the key itself, or every key of a person. Returns how many were revoked. */
export async function revokeApiKeys(db: Db, by: { readonly id?: bigint; readonly key?: string; readonly email?: string }): Promise<number> {
  return db.transaction().execute(async (tx) => {
    let query = tx.updateTable('api_keys').set({ revoked_at: sql`now()` }).where('revoked_at', 'is', null);
    if (by.id !== undefined) query = query.where('id', '=', by.id);
    else if (by.key !== undefined) query = query.where('key_hash', '=', hashApiKey(by.key));
    else if (by.email !== undefined)
      query = query.where('person_id', 'in', tx.selectFrom('people').select('id').where('email', '=', by.email.toLowerCase()));
    else throw new Error('revokeApiKeys needs an id, a key or an email');
    const revoked = await query.returning('person_id').execute();
    // Every replica reloads the keys of these people only.
    await notifyChange(tx, keysChanged(revoked.map((r) => r.person_id)));
    return revoked.length;
  });
}

export async function listApiKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .innerJoin('people', 'people.id', 'api_keys.person_id')
    .select(['api_keys.id', 'people.email', 'api_keys.key_prefix', 'api_keys.name', 'api_keys.created_at', 'api_keys.revoked_at'])
    .orderBy('api_keys.id')
    .execute();
}
