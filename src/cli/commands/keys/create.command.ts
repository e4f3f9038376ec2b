import { createApiKey, UnknownPersonError } from '../../../keys/api-keys.repository.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';

export const keysCreateCommand = defineCommand({
  name: 'create',
  summary: "create an API key for a person (printed once; only its hash is stored)",
  options: {
    email: { type: 'string', value: 'EMAIL', required: true, description: 'the person the key belongs to (must exist in Stipend)' },
    name: { type: 'string', value: 'NAME', description: 'a label for the key, e.g. "laptop"' },
    ...DATA_DIR_OPTION,
  },
  details: DATABASE_ENV_HELP,
  examples: ['stipend keys create --email ada@acme.example --name laptop', 'stipend keys create --email ada@acme.example --data-dir .stipend'],
  async run(ctx) {
    const handle = await ctx.database('stipend-keys');
    try {
      const { key } = await createApiKey(handle.db, ctx.values.email, ctx.values.name ?? null).catch((error: unknown) => {
        throw error instanceof UnknownPersonError ? new CliError(error.message) : error;
      });
      // The only time the key exists in clear text: it is printed, never stored.
      ctx.stdout.write(`${key}\n`);
    } finally {
      await handle.close();
    }
  },
});
