import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { notifyChange } from './notify-change.ts';
import { budgetChanged, modelPolicyChanged, teamChanged } from './policy-change.ts';
import type { ResourceKind } from './resource.schema.ts';

const TABLE = { Team: 'teams', Budget: 'budgets', ModelPolicy: 'model_policies' } as const;
const CHANGED = { Team: teamChanged, Budget: budgetChanged, ModelPolicy: modelPolicyChanged } as const;

/** A deleted resource is deactivated, never removed: ledger rows keep pointing at real history. */
export async function deactivateResource(db: Db, kind: ResourceKind, namespace: string, name: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const rows = await tx
      .updateTable(TABLE[kind])
      .set({ active: false, updated_at: sql`now()` })
      .where('namespace', '=', namespace)
      .where('name', '=', name)
      .returning('id')
      .execute();
    for (const row of rows) await notifyChange(tx, CHANGED[kind](row.id));
  });
}
