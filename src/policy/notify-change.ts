import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { CHANGES_CHANNEL } from '../db/db-handle.ts';

/** Tells every gateway replica to recompile its policy; delivered when the transaction commits. */
export async function notifyChange(db: Db, what: string): Promise<void> {
  await sql`select pg_notify(${CHANGES_CHANNEL}, ${what})`.execute(db);
}
