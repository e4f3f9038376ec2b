import { migrateToLatest } from '../../db/migrate.ts';
import { databaseFromEnv } from '../database-from-env.ts';

export async function migrateCommand(): Promise<void> {
  const handle = databaseFromEnv('stipend-migrate');
  try {
    const result = await migrateToLatest(handle.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await handle.close();
  }
}
