#!/usr/bin/env node
// The only wiring place: parses the subcommand and hands over to it.
import { adminCommand } from './commands/admin.command.ts';
import { alertsCommand } from './commands/alerts.command.ts';
import { auditCommand } from './commands/audit.command.ts';
import { devCommand } from './commands/dev.command.ts';
import { gatewayCommand } from './commands/gateway.command.ts';
import { keysCommand } from './commands/keys.command.ts';
import { migrateCommand } from './commands/migrate.command.ts';
import { reportCommand } from './commands/report.command.ts';
import { CliError } from './cli-error.ts';
import { operatorCommand } from '../operator/operator.command.ts';
import { crdsCommand } from '../operator/crd/crds.command.ts';

const COMMANDS: Readonly<Record<string, { readonly run: (args: string[]) => Promise<void>; readonly help: string }>> = {
  dev: { run: devCommand, help: 'embedded mode: PGlite, policy from a folder, mock provider (npm start)' },
  gateway: { run: gatewayCommand, help: 'the enforcement gateway (Postgres from STIPEND_DATABASE_URL)' },
  operator: { run: operatorCommand, help: 'reconcile Team/Budget/ModelPolicy resources into Postgres' },
  crds: { run: crdsCommand, help: 'print the CustomResourceDefinitions (YAML)' },
  migrate: { run: migrateCommand, help: 'apply database migrations' },
  keys: { run: keysCommand, help: 'create, revoke or list API keys' },
  report: { run: reportCommand, help: 'spend reports, ERP/FOCUS exports (report export), the monthly report (report monthly)' },
  alerts: { run: alertsCommand, help: 'evaluate forecasts and anomalies, deliver budget alerts (once, or --watch)' },
  admin: { run: adminCommand, help: 'finance admin API and dashboard (STIPEND_ADMIN_TOKENS)' },
  audit: { run: auditCommand, help: 'verify the ledger hash chain, sign checkpoints of its head (audit verify/checkpoint/keygen)' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`);
  return `usage: stipend <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command "${name}"\n\n${usage()}`);
  await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`stipend: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`stipend: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
