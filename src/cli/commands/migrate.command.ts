import { migrateToLatest } from '../../db/migrate.ts';
import { defineCommand } from '../command.ts';
import { DATABASE_ENV_HELP } from '../database-option.ts';

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'apply database migrations (as the owner role; the chart runs this as a Job)',
  options: {},
  details: DATABASE_ENV_HELP,
  examples: ['STIPEND_DATABASE_URL=postgres://stipend_owner@db:5432/stipend stipend migrate'],
  async run(ctx) {
    const handle = await ctx.database('stipend-migrate');
    try {
      const result = await migrateToLatest(handle.db);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      ctx.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    } finally {
      await handle.close();
    }
  },
});
