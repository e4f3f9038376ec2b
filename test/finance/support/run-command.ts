// Runs one of the finance CLI commands the way src/cli/main.ts does (usage errors: exit 2),
// so the tests exercise the real command code before main.ts lists it.
import { adminCommand } from '../../../src/cli/commands/admin.command.ts';
import { alertsCommand } from '../../../src/cli/commands/alerts.command.ts';
import { reportCommand } from '../../../src/cli/commands/report.command.ts';
import { CliError } from '../../../src/cli/cli-error.ts';

const commands: Record<string, (args: string[]) => Promise<void>> = { report: reportCommand, alerts: alertsCommand, admin: adminCommand };
const [name = '', ...args] = process.argv.slice(2);
commands[name]!(args).catch((error: unknown) => {
  process.stderr.write(`stipend: ${error instanceof Error ? (error instanceof CliError ? error.message : error.stack) : String(error)}\n`);
  process.exit(error instanceof CliError ? 2 : 1);
});
