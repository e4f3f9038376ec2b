import { migrateToLatest } from '../../db/migrate.ts';
import { applyRuntimeGrants, RuntimeRoleError } from '../../db/runtime-role.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { parseFlags } from '../parse-flags.ts';
import { runtimeRoleFrom } from '../runtime-role-config.ts';

const HELP = `usage: stipend migrate [--runtime-role NAME]

Applies the database migrations, then creates the runtime role if it does not exist and
sets its grants to exactly what the services need (docs/deploy.md, "Database roles").

environment:
  STIPEND_DATABASE_URL          the owner's URL: migrations run as it, and it owns every table and function
  STIPEND_RUNTIME_DATABASE_URL  the URL the services connect with; its user is the runtime role, created
                                with that password if it does not exist yet (a SCRAM verifier is sent, not the password)
  STIPEND_RUNTIME_ROLE          the runtime role's name alone, for a role your DBA made (no password needed here)

options:
  --runtime-role NAME  as STIPEND_RUNTIME_ROLE
  -h, --help           this text

Without a runtime role only the migrations run, and the services connecting with the
owner's URL could alter or disable what protects the ledger.
`;

export async function migrateCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { 'runtime-role': { type: 'string' } }, 'stipend migrate');
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const runtime = runtimeRoleFrom(values['runtime-role'] ?? (process.env.STIPEND_RUNTIME_ROLE || undefined), process.env.STIPEND_RUNTIME_DATABASE_URL || undefined);
  const handle = databaseFromEnv('stipend-migrate');
  try {
    const result = await migrateToLatest(handle.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    if (!runtime) {
      process.stderr.write('stipend: no runtime role (STIPEND_RUNTIME_DATABASE_URL or STIPEND_RUNTIME_ROLE): grants unchanged\n');
      return;
    }
    const report = await applyRuntimeGrants(handle.db, runtime).catch((error: unknown) => {
      throw error instanceof RuntimeRoleError ? new CliError(error.message) : error;
    });
    process.stdout.write(
      `runtime role ${report.role}: ${report.created ? 'created' : 'exists'}; grants set on ${report.tables} tables, ${report.functions} functions\n`,
    );
    if (report.undecided.length > 0) {
      process.stderr.write(`stipend: no runtime grants defined for ${report.undecided.join(', ')}: the runtime role gets nothing on them\n`);
    }
  } finally {
    await handle.close();
  }
}
