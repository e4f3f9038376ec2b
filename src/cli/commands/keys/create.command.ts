import { AccessSuspendedError, createApiKey, createServiceKey, UnknownPersonError, UnknownServiceAccountError } from '../../../keys/api-keys.repository.ts';
import { cliActor } from '../../cli-actor.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';

export const keysCreateCommand = defineCommand({
  name: 'create',
  summary: 'create an API key for a person or a service account (printed once; only its hash is stored)',
  options: {
    email: { type: 'string', value: 'EMAIL', description: 'the person the key belongs to (must exist in Stipend)' },
    service: { type: 'string', value: 'NS/TEAM/NAME', description: "a team's service account, declared in the Team's spec.serviceAccounts" },
    name: { type: 'string', value: 'NAME', description: 'a label for the key, e.g. "laptop" or "github-actions"' },
    ...DATA_DIR_OPTION,
  },
  details: `Give exactly one of --email and --service. A service key spends from the team's Shared
budgets, is limited by the ModelPolicies targeting the team, and the ledger names the key on
every request (docs/identity.md, "Service keys"). The creation is recorded in the audit log.

${DATABASE_ENV_HELP}`,
  examples: [
    'stipend keys create --email ada@acme.example --name laptop',
    'stipend keys create --service acme/platform/ci-bot --name github-actions',
    'stipend keys create --email ada@acme.example --data-dir .stipend',
  ],
  async run(ctx) {
    const { email, service } = ctx.values;
    if ((email === undefined) === (service === undefined)) throw new CliError(`${ctx.path}: give exactly one of --email and --service (see 'stipend ${ctx.path} --help')`);
    const handle = await ctx.database('stipend-keys');
    try {
      const options = { audit: cliActor('keys create') };
      const created = await (email !== undefined
        ? createApiKey(handle.db, email, ctx.values.name ?? null, options)
        : createServiceKey(handle.db, service!, ctx.values.name ?? null, options)
      ).catch((error: unknown) => {
        throw error instanceof UnknownPersonError || error instanceof UnknownServiceAccountError || error instanceof AccessSuspendedError ? new CliError(error.message) : error;
      });
      // The only time the key exists in clear text: it is printed, never stored.
      ctx.stdout.write(`${created.key}\n`);
    } finally {
      await handle.close();
    }
  },
});
