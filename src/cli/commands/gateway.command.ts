import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DbHandle } from '../../db/db-handle.ts';
import { gatewayEnvSchema } from '../../config/gateway-config.schema.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { describeIssues } from '../../policy/load-resource-folder.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { createLogger } from '../logger.ts';
import { startGateway } from '../start-gateway.ts';

const GATEWAY_HELP = `usage: stipend gateway [--migrate]

The enforcement gateway: OpenAI and Anthropic routes on STIPEND_PORT (8787), Prometheus
metrics on STIPEND_METRICS_PORT (9091), Postgres from STIPEND_DATABASE_URL.

options:
  --migrate   apply database migrations before starting
  -h, --help  this text

Configuration is read from the environment; every variable, its default and meaning is in
src/config/gateway-config.schema.ts (README: configuration).
`;

export async function gatewayCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { migrate: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    process.stdout.write(GATEWAY_HELP);
    return;
  }
  const parsed = gatewayEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new CliError(`invalid configuration: ${describeIssues(parsed.error)}`);
  const env = parsed.data;
  const logger = createLogger(env.LOG_LEVEL);
  // Rate-limited: a restart ends every connection at once, and the outage is one event.
  let lastLogged = 0;
  const handle = databaseFromEnv('stipend-gateway', (error) => {
    if (Date.now() - lastLogged < 1000) return;
    lastLogged = Date.now();
    logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'database connection lost; requests get 503 until it is back');
  });
  await waitForDatabase(handle, logger);
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

/** Starting while Postgres is away (a restart, a failover) waits for it instead of crash-looping. */
async function waitForDatabase(handle: DbHandle, logger: Logger): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await sql`select 1`.execute(handle.db);
      return;
    } catch (error) {
      if (attempt === 0) logger.warn({ err: { message: (error as Error).message } }, 'waiting for the database');
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * 2 ** attempt)));
    }
  }
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
