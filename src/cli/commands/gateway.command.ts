import type { Logger } from 'pino';
import { gatewayEnvSchema } from '../../config/gateway-config.schema.ts';
import type { DbHandle } from '../../db/db-handle.ts';
import { describeIssues } from '../../policy/load-resource-folder.ts';
import { CliError } from '../cli-error.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';

export const gatewayCommand = defineCommand({
  name: 'gateway',
  summary: 'the enforcement gateway: OpenAI- and Anthropic-compatible routes, budgets enforced before the provider is called',
  options: {
    migrate: { type: 'boolean', default: false, description: 'apply database migrations before starting (single-replica set-ups)' },
  },
  details: `environment (all of src/config/gateway-config.schema.ts):
  STIPEND_DATABASE_URL      postgres://user:pass@host:5432/db
  STIPEND_HOST, STIPEND_PORT  where to listen (default 0.0.0.0:8787)
  STIPEND_METRICS_PORT      Prometheus /metrics, never on the API port (default 9091)
  STIPEND_MAX_IN_FLIGHT     requests per replica before 503 + Retry-After (default 2000)
  OPENAI_API_KEY / OPENAI_BASE_URL, ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL, GEMINI_API_KEY / GEMINI_BASE_URL
  STIPEND_UPSTREAMS_FILE    upstreams and routes: Azure OpenAI, Bedrock, Vertex AI… (docs/providers.md)
  STIPEND_UPSTREAM_SECRETS_DIR  where their credential files are (re-read every 30 s and on SIGHUP)
  STIPEND_PRICING_FILE      catalog overrides (YAML or JSON)
  STIPEND_BLOCK_UNPRICED    refuse models without a price (default true)
  LOG_LEVEL                 fatal|error|warn|info|debug|trace|silent (default info)

While Postgres is away requests get 503 (no provider call) and the gateway recovers by itself;
started while it is away, it waits for it. SIGTERM or SIGINT drains: open streams may finish,
new requests get 503.`,
  examples: ['STIPEND_DATABASE_URL=postgres://stipend@db:5432/stipend OPENAI_API_KEY=sk-… stipend gateway'],
  async run(ctx) {
    const parsed = gatewayEnvSchema.safeParse(ctx.env);
    if (!parsed.success) throw new CliError(`invalid configuration: ${describeIssues(parsed.error)}`);
    const env = parsed.data;
    const logger = createLogger(env.LOG_LEVEL);
    const [{ databaseFromEnv }, { migrateToLatest }, { startGateway }] = await Promise.all([import('../database-from-env.ts'), import('../../db/migrate.ts'), import('../start-gateway.ts')]);
    // Rate-limited: a restart ends every connection at once, and the outage is one event.
    let lastLogged = 0;
    const handle = databaseFromEnv('stipend-gateway', ctx.env, (error) => {
      if (Date.now() - lastLogged < 1000) return;
      lastLogged = Date.now();
      logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'database connection lost; requests get 503 until it is back');
    });
    await waitForDatabase(handle, logger);
    if (ctx.values.migrate) await migrateToLatest(handle.db);
    const gateway = await startGateway(handle, env, logger);
    logger.info({ url: gateway.url }, 'gateway listening');
    onShutdown(async () => {
      logger.info('draining: open streams may finish, new requests are refused');
      await gateway.close();
      await handle.close();
      logger.info('stopped');
    });
  },
});

/** Starting while Postgres is away (a restart, a failover) waits for it instead of crash-looping. */
async function waitForDatabase(handle: DbHandle, logger: Logger): Promise<void> {
  const { sql } = await import('kysely');
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

/** Resolves at the first SIGTERM or SIGINT (for roles that stop by returning). */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
