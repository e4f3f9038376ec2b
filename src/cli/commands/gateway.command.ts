import { parseArgs } from 'node:util';
import { gatewayEnvSchema } from '../../config/gateway-config.schema.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { describeIssues } from '../../policy/load-resource-folder.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { createLogger } from '../logger.ts';
import { startGateway } from '../start-gateway.ts';

export async function gatewayCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { migrate: { type: 'boolean', default: false } } });
  const parsed = gatewayEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new CliError(`invalid configuration: ${describeIssues(parsed.error)}`);
  const env = parsed.data;
  const logger = createLogger(env.LOG_LEVEL);
  const handle = databaseFromEnv('stipend-gateway');
  if (values.migrate) await migrateToLatest(handle.db);
  const gateway = await startGateway(handle, env, logger);
  logger.info({ url: gateway.url }, 'gateway listening');
  onShutdown(async () => {
    logger.info('draining: open streams may finish, new requests are refused');
    await gateway.close();
    await handle.close();
    logger.info('stopped');
  });
}

/** SIGTERM/SIGINT run the graceful close once; a second signal exits at once. */
export function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const handler = () => {
    if (closing) process.exit(1);
    closing = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
