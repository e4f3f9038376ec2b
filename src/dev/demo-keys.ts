import { readFile, writeFile } from 'node:fs/promises';
import type { Db } from '../db/database.ts';
import { hashApiKey } from '../keys/api-key.ts';
import { createApiKey } from '../keys/api-keys.repository.ts';

/**
 * One working key per person, kept in `<data-dir>/demo-keys.json` so a restart
 * reuses them. Keys that were revoked, or people that left, are replaced or dropped.
 */
export async function ensureDemoKeys(db: Db, emails: readonly string[], file: string): Promise<Record<string, string>> {
  const previous = await readKeys(file);
  const live = new Set(
    (
      await db
        .selectFrom('api_keys')
        .innerJoin('people', 'people.id', 'api_keys.person_id')
        .select('key_hash')
        .where('revoked_at', 'is', null)
        .where('people.active', '=', true)
        .execute()
    ).map((r) => r.key_hash),
  );
  const keys: Record<string, string> = {};
  for (const email of emails) {
    const old = previous[email];
    keys[email] = old && live.has(hashApiKey(old)) ? old : (await createApiKey(db, email, 'demo')).key;
  }
  await writeFile(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return keys;
}

async function readKeys(file: string): Promise<Record<string, string>> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}
