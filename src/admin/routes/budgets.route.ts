import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { formatUsd } from '../../pricing/money.ts';
import { toCsv } from '../../reports/csv.ts';
import { budgetsWithUsage } from '../budgets.repository.ts';
import { parseQuery } from '../parse-query.ts';

const percent = (spent: bigint, limit: bigint) => (limit > 0n ? Number((spent * 1000n) / limit) / 10 : null);

export const budgetRoutes: FastifyPluginAsync<{ readonly db: Db; readonly now: () => Date }> = async (app, { db, now }) => {
  app.get('/api/budgets', async (request, reply) => {
    const { format } = parseQuery(z.strictObject({ format: z.enum(['json', 'csv']).default('json') }), request.query);
    const rows = (await budgetsWithUsage(db, now())).map(({ budget: b, window, wallets }) => {
      const spent = wallets.reduce((s, w) => s + w.spentNanos, 0n);
      const reserved = wallets.reduce((s, w) => s + w.reservedNanos, 0n);
      return {
        budget: `${b.namespace}/${b.name}`,
        scope: b.scope,
        period: b.period,
        timeZone: b.time_zone,
        enforcement: b.enforcement,
        alertThresholds: b.alert_thresholds,
        amount: formatUsd(b.amount_nanos, 2),
        amountNanos: b.amount_nanos.toString(),
        periodStart: window.start.toISOString(),
        periodEnd: window.end.toISOString(),
        wallets: wallets.length,
        spent: formatUsd(spent, 2),
        spentNanos: spent.toString(),
        reservedNanos: reserved.toString(),
        // Shared: the one wallet's use; PerMember: the fullest member wallet's.
        percentUsed: wallets.reduce<number | null>((max, w) => Math.max(max ?? 0, percent(w.spentNanos, w.limitNanos) ?? 0), null),
        members: wallets.map((w) => ({ owner: w.owner, email: w.email, spent: formatUsd(w.spentNanos, 2), spentNanos: w.spentNanos.toString(), percentUsed: percent(w.spentNanos, w.limitNanos) })),
      };
    });
    if (format === 'json') return { budgets: rows };
    const header = ['budget', 'scope', 'period', 'enforcement', 'amount_usd', 'period_start', 'period_end', 'wallets', 'spent_usd', 'spent_nanos', 'percent_used'];
    return reply
      .type('text/csv; charset=utf-8')
      .send(toCsv(header, rows.map((r) => [r.budget, r.scope, r.period, r.enforcement, r.amount, r.periodStart, r.periodEnd, r.wallets, r.spent, r.spentNanos, r.percentUsed])));
  });
};
