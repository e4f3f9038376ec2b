import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { CHANGES_CHANNEL } from '../db/db-handle.ts';
import { encodeChange, type PolicyChange } from './policy-change.ts';

/**
 * Tells every gateway replica what changed (format: policy-change.ts), so it reloads only
 * that. Delivered when the transaction commits; call it inside the writing transaction.
 */
export async function notifyChange(db: Db, change: PolicyChange): Promise<void> {
  for (const payload of encodeChange(change)) {
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`.execute(db);
  }
}
