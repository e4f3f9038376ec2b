import type { Db } from '../db/database.ts';
import { checkpointSchema, type Checkpoint } from './checkpoint.ts';

/** Appends a signed checkpoint to ledger_checkpoints (write-once); the signature is what makes it worth keeping. */
export async function storeCheckpoint(db: Db, c: Checkpoint): Promise<void> {
  await db
    .insertInto('ledger_checkpoints')
    .values({ seq: BigInt(c.seq), hash: Buffer.from(c.hash, 'hex'), signed_at: c.signedAt, key_id: c.keyId, document: JSON.stringify(c) })
    .execute();
}

/** Stored checkpoints, oldest first; a row whose document is not a checkpoint is returned as an error. */
export async function listCheckpoints(db: Db): Promise<(Checkpoint | { readonly id: bigint; readonly error: string })[]> {
  const rows = await db.selectFrom('ledger_checkpoints').select(['id', 'document']).orderBy('seq').orderBy('id').execute();
  return rows.map((r) => {
    const parsed = checkpointSchema.safeParse(r.document);
    return parsed.success ? parsed.data : { id: r.id, error: parsed.error.issues[0]?.message ?? 'not a checkpoint' };
  });
}
