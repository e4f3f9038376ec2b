import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { describeAlert, whoseLabel } from '../../alerts/alert-message.ts';
import { listAlertDeliveries, listAlerts } from '../../alerts/alerts.repository.ts';
import type { Db } from '../../db/database.ts';
import { formatUsd } from '../../pricing/money.ts';
import { parseQuery } from '../parse-query.ts';

const limit = z.coerce.number().int().min(1).max(1000).default(100);

export const alertRoutes: FastifyPluginAsync<{ readonly db: Db }> = async (app, { db }) => {
  app.get('/api/alerts', async (request) => {
    const q = parseQuery(z.strictObject({ limit, since: z.iso.datetime({ offset: true }).optional() }), request.query, ['since']);
    const alerts = await listAlerts(db, { limit: q.limit, ...(q.since ? { since: new Date(q.since) } : {}) });
    return {
      alerts: alerts.map((a) => ({
        id: String(a.id),
        kind: a.kind,
        budget: a.budget ? `${a.budget.namespace}/${a.budget.name}` : null,
        scope: a.budget?.scope ?? null,
        owner: a.owner,
        email: a.personEmail,
        name: a.personName,
        team: a.team?.key ?? null,
        whose: whoseLabel(a),
        message: describeAlert(a).summary,
        threshold: a.threshold,
        spent: formatUsd(a.spentNanos, 2),
        limit: formatUsd(a.limitNanos, 2),
        periodStart: a.periodStart.toISOString(),
        periodEnd: a.periodEnd.toISOString(),
        createdAt: a.createdAt.toISOString(),
        deliveries: a.deliveries.map(delivery),
      })),
    };
  });

  app.get('/api/alerts/deliveries', async (request) => {
    const q = parseQuery(z.strictObject({ limit, status: z.enum(['pending', 'sending', 'sent', 'failed', 'skipped']).optional() }), request.query);
    const rows = await listAlertDeliveries(db, { limit: q.limit, ...(q.status ? { status: q.status } : {}) });
    return { deliveries: rows.map((d) => ({ alertId: String(d.alert_id), ...delivery(d) })) };
  });
};

function delivery(d: { id: bigint; channel: string; recipient: string; status: string; attempts: number; last_error: string | null; sent_at: Date | null; next_attempt_at: Date }) {
  return { id: String(d.id), channel: d.channel, recipient: d.recipient, status: d.status, attempts: d.attempts, lastError: d.last_error, sentAt: d.sent_at, nextAttemptAt: d.next_attempt_at };
}
