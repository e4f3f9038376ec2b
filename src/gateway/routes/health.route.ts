import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PolicyStore } from '../policy-store.ts';

export interface HealthRouteOptions {
  readonly db: Db;
  readonly policy: PolicyStore;
  readonly isDraining: () => boolean;
}

/** /healthz: the process is alive. /readyz: Postgres answers, policy is loaded, not draining. */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await sql`select 1`.execute(options.db);
      checks.postgres = 'ok';
    } catch {
      checks.postgres = 'unreachable';
    }
    checks.policy = options.policy.stats.lastReloadAt ? 'loaded' : 'not loaded';
    checks.draining = options.isDraining() ? 'yes' : 'no';
    const ready = checks.postgres === 'ok' && checks.policy === 'loaded' && checks.draining === 'no';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
}
