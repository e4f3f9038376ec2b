import { parseArgs } from 'node:util';
import { createApiKey, listApiKeys, revokeApiKeys, UnknownPersonError } from '../../keys/api-keys.repository.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';

const USAGE = 'usage: stipend keys create --email E [--name N] | keys revoke (--id N | --email E | --key K) | keys list';

export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, key: { type: 'string' } },
  });
  if (!action || !['create', 'revoke', 'list'].includes(action)) throw new CliError(USAGE);
  const handle = databaseFromEnv('stipend-keys');
  try {
    if (action === 'create') {
      if (!values.email) throw new CliError(USAGE);
      const { key } = await createApiKey(handle.db, values.email, values.name ?? null).catch((error: unknown) => {
        throw error instanceof UnknownPersonError ? new CliError(error.message) : error;
      });
      // The only time the key exists in clear text: it is printed, never stored.
      process.stdout.write(`${key}\n`);
    } else if (action === 'revoke') {
      if (!values.id && !values.email && !values.key) throw new CliError(USAGE);
      const n = await revokeApiKeys(handle.db, {
        ...(values.id ? { id: BigInt(values.id) } : {}),
        ...(values.email ? { email: values.email } : {}),
        ...(values.key ? { key: values.key } : {}),
      });
      process.stdout.write(`revoked ${n} key(s)\n`);
    } else {
      for (const k of await listApiKeys(handle.db)) {
        process.stdout.write(`${k.id}\t${k.email}\t${k.key_prefix}…\t${k.revoked_at ? 'revoked' : 'active'}\n`);
      }
    }
  } finally {
    await handle.close();
  }
}
