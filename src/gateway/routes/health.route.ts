import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PolicyStore } from '../policy-store.ts';

export interface HealthRouteOptions {
  readonly db: Db;
  readonly policy: PolicyStore;
  /** How many providers have credentials: with none, every request would fail. */
  readonly providersConfigured: number;
  readonly isDraining: () => boolean;
}

/** How long /readyz waits for Postgres: a probe must answer within the kubelet's timeout (1 s by default). */
const PROBE_TIMEOUT_MS = 800;

/**
 * /healthz: the process is alive (never depends on Postgres: a restart would not help).
 * /readyz: Postgres answers, policy is loaded, changes are being listened for, a provider is
 * configured, not draining. While Postgres is away the replica is not ready, yet stays alive.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    checks.postgres = (await pingPostgres(options.db)) ? 'ok' : 'unreachable';
    checks.policy = options.policy.stats.lastReloadAt ? 'loaded' : 'not loaded';
    checks.changes = options.policy.stats.listening ? 'listening' : 'reconnecting';
    checks.providers = options.providersConfigured > 0 ? String(options.providersConfigured) : 'none configured';
    checks.draining = options.isDraining() ? 'yes' : 'no';
    const ready =
      checks.postgres === 'ok' &&
      checks.policy === 'loaded' &&
      checks.changes === 'listening' &&
      options.providersConfigured > 0 &&
      checks.draining === 'no';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
}

async function pingPostgres(db: Db): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)));
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
