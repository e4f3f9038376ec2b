import { migrateToLatest } from '../../db/migrate.ts';
import { applyRuntimeGrants, RuntimeRoleError } from '../../db/runtime-role.ts';
import { CliError } from '../cli-error.ts';
import { defineCommand } from '../command.ts';
import { DATABASE_ENV_HELP } from '../database-option.ts';
import { runtimeRoleFrom } from '../runtime-role-config.ts';

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: "apply database migrations as the owner, then create the services' runtime role and set its grants",
  options: {
    'runtime-role': { type: 'string', value: 'NAME', description: 'the runtime role, when STIPEND_RUNTIME_DATABASE_URL is not given (as STIPEND_RUNTIME_ROLE)' },
  },
  details: `${DATABASE_ENV_HELP} — the OWNER's URL: migrations run as it, and it owns every table and function
  STIPEND_RUNTIME_DATABASE_URL  the URL the services connect with; its user is the runtime role, created with
                                that password if it does not exist (a SCRAM verifier is sent, never the password)
  STIPEND_RUNTIME_ROLE          the runtime role's name alone, for a role your DBA made

The runtime role gets exactly the grants in src/db/runtime-grants.ts (what it had before is
revoked); the stipend_* functions run as the owner and only the runtime role may call them
(docs/deploy.md, "Database roles"). Without a runtime role only the migrations run.`,
  examples: [
    'STIPEND_DATABASE_URL=postgres://stipend@db:5432/stipend STIPEND_RUNTIME_DATABASE_URL=postgres://stipend_app:pw@db:5432/stipend stipend migrate',
    'STIPEND_DATABASE_URL=postgres://stipend@db:5432/stipend stipend migrate --runtime-role stipend_app',
  ],
  async run(ctx) {
    const runtime = runtimeRoleFrom(ctx.values['runtime-role'] ?? (ctx.env.STIPEND_RUNTIME_ROLE || undefined), ctx.env.STIPEND_RUNTIME_DATABASE_URL || undefined);
    const handle = await ctx.database('stipend-migrate');
    try {
      const result = await migrateToLatest(handle.db);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      ctx.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      if (!runtime) {
        ctx.stderr.write('stipend: no runtime role (STIPEND_RUNTIME_DATABASE_URL or STIPEND_RUNTIME_ROLE): grants unchanged\n');
        return;
      }
      const report = await applyRuntimeGrants(handle.db, runtime).catch((error: unknown) => {
        throw error instanceof RuntimeRoleError ? new CliError(`${ctx.path}: ${error.message}`) : error;
      });
      ctx.stdout.write(`runtime role ${report.role}: ${report.created ? 'created' : 'exists'}; grants set on ${report.tables} tables, ${report.functions} functions\n`);
      if (report.undecided.length > 0) {
        ctx.stderr.write(`stipend: no runtime grants defined for ${report.undecided.join(', ')}: the runtime role gets nothing on them\n`);
      }
    } finally {
      await handle.close();
    }
  },
});
