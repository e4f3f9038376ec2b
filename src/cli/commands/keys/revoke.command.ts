import { revokeApiKeys, UnknownServiceAccountError } from '../../../keys/api-keys.repository.ts';
import { cliActor } from '../../cli-actor.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';

export const keysRevokeCommand = defineCommand({
  name: 'revoke',
  summary: 'revoke keys by id, by owner or by the key itself (every gateway replica stops accepting them within a second)',
  options: {
    id: { type: 'string', value: 'N', description: "the key's id (from keys list)" },
    email: { type: 'string', value: 'EMAIL', description: 'every key of this person' },
    service: { type: 'string', value: 'NS/TEAM/NAME', description: 'every key of this service account' },
    key: { type: 'string', value: 'KEY', description: 'the key itself (sk-stipend-…)' },
    ...DATA_DIR_OPTION,
  },
  details: `Give one or more of --id, --email, --service, --key: keys matching all of them are revoked.
The revocation is recorded in the audit log.\n\n${DATABASE_ENV_HELP}`,
  examples: ['stipend keys revoke --id 42', 'stipend keys revoke --email ada@acme.example', 'stipend keys revoke --service acme/platform/ci-bot'],
  async run(ctx) {
    const { id, email, key, service } = ctx.values;
    if (!id && !email && !key && !service) throw new CliError(`${ctx.path}: give --id, --email, --service or --key (see 'stipend ${ctx.path} --help')`);
    if (id !== undefined && !/^\d{1,18}$/.test(id)) throw new CliError(`${ctx.path}: --id must be a key id such as 42 (got '${id}')`);
    const handle = await ctx.database('stipend-keys');
    try {
      const by = { ...(id ? { id: BigInt(id) } : {}), ...(email ? { email } : {}), ...(key ? { key } : {}), ...(service ? { service } : {}) };
      const n = await revokeApiKeys(handle.db, by, { audit: cliActor('keys revoke') }).catch((error: unknown) => {
        throw error instanceof UnknownServiceAccountError ? new CliError(`${ctx.path}: ${error.message}`) : error;
      });
      ctx.stdout.write(`revoked ${n} key(s)\n`);
    } finally {
      await handle.close();
    }
  },
});
