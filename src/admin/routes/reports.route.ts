import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { ExportConfig } from '../../reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, exportMonth } from '../../reports/exports/exports.ts';
import { listMonthlyReports, loadSummary } from '../../reports/monthly/run-monthly-report.ts';
import { summaryToJson } from '../../reports/monthly/summary-json.ts';
import { spendReportCsv, spendReportJson } from '../../reports/spend-report.render.ts';
import { monthSchema, spendQuerySchema } from '../../reports/spend-report.schema.ts';
import { buildSpendReport } from '../../reports/spend-report.ts';
import { AdminError } from '../admin-errors.ts';
import { parseQuery } from '../parse-query.ts';

export interface ReportRoutesOptions {
  readonly db: Db;
  readonly exportConfig: ExportConfig;
}

const exportQuerySchema = z.strictObject({ month: monthSchema });
const exportParamsSchema = z.strictObject({ format: z.enum(EXPORT_FORMATS) });

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (app, { db, exportConfig }) => {
  app.get('/api/reports/spend', async (request, reply) => {
    const q = parseQuery(spendQuerySchema, request.query, ['from', 'to']);
    const report = await buildSpendReport(db, { from: q.from, to: q.to, timeZone: q.timeZone });
    if (q.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="stipend-spend-${q.groupBy}-${q.from}-${q.to}.csv"`)
        .send(spendReportCsv(report, q.groupBy));
    }
    return spendReportJson(report);
  });

  app.get('/api/exports/:format', async (request, reply) => {
    const params = exportParamsSchema.safeParse(request.params);
    if (!params.success) throw new AdminError('invalid_query', `Invalid query: format must be one of ${EXPORT_FORMATS.join(', ')}.`);
    const { month } = parseQuery(exportQuerySchema, request.query, ['month']);
    const file = await exportMonth(db, month, params.data.format, exportConfig);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('x-stipend-total-nanos', file.totalNanos.toString())
      .send(file.csv);
  });

  app.get('/api/monthly-reports', async () => {
    const rows = await listMonthlyReports(db);
    return { reports: rows.map((r) => ({ month: r.month, createdAt: r.created_at, deliveriesSent: Number(r.sent), deliveriesPending: Number(r.pending) })) };
  });

  app.get('/api/monthly-reports/:month', async (request) => {
    const { month } = parseQuery(z.strictObject({ month: monthSchema }), request.params, ['month']);
    const summary = await loadSummary(db, month);
    if (!summary) throw new AdminError('not_found', `No monthly report is stored for ${month}.`);
    return summaryToJson(summary);
  });
};
