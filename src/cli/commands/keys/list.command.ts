import { listApiKeys } from '../../../keys/api-keys.repository.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';

export const keysListCommand = defineCommand({
  name: 'list',
  summary: 'list keys: id, owner, display prefix, status (never the key or its hash)',
  options: { ...DATA_DIR_OPTION },
  details: DATABASE_ENV_HELP,
  examples: ['stipend keys list', 'stipend keys list --data-dir .stipend'],
  async run(ctx) {
    const handle = await ctx.database('stipend-keys');
    try {
      for (const k of await listApiKeys(handle.db)) {
        ctx.stdout.write(`${k.id}\t${k.email ?? `service:${k.service}`}\t${k.key_prefix}…\t${k.revoked_at ? 'revoked' : 'active'}\n`);
      }
    } finally {
      await handle.close();
    }
  },
});
