import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { notifyChange } from './notify-change.ts';
import { KINDS } from './kinds.ts';
import type { ResourceKind } from './resource.schema.ts';

/** A deleted resource is deactivated, never removed: ledger rows keep pointing at real history. */
export async function deactivateResource(db: Db, kind: ResourceKind, namespace: string, name: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const rows = await tx
      .updateTable(KINDS[kind].table)
      .set({ active: false, updated_at: sql`now()` })
      .where('namespace', '=', namespace)
      .where('name', '=', name)
      .returning('id')
      .execute();
    for (const row of rows) await notifyChange(tx, KINDS[kind].changed(row.id));
  });
}
