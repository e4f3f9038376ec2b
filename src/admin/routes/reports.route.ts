import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { listCloseFiles, listCloses, readCloseFile } from '../../reports/books/period-closes.repository.ts';
import type { ExportConfig } from '../../reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, exportMonth } from '../../reports/exports/exports.ts';
import { MappingIncompleteError, MappingNotConfiguredError } from '../../reports/gl-mapping/mapping-errors.ts';
import { addMonths } from '../../reports/books/book-cut.ts';
import { closableAt, closeMonth, CloseRefusedError } from '../../reports/monthly/close-month.ts';
import { monthOf } from '../../reports/month-window.ts';
import { listMonthlyReports, loadSummary } from '../../reports/monthly/run-monthly-report.ts';
import { summaryToJson } from '../../reports/monthly/summary-json.ts';
import { spendReportCsv, spendReportJson } from '../../reports/spend-report.render.ts';
import { monthSchema, spendQuerySchema } from '../../reports/spend-report.schema.ts';
import { buildSpendReport } from '../../reports/spend-report.ts';
import { requireAdmin } from '../admin-auth.ts';
import { AdminError } from '../admin-errors.ts';
import { parseQuery } from '../parse-query.ts';

export interface ReportRoutesOptions {
  readonly db: Db;
  readonly exportConfig: ExportConfig;
  readonly now?: () => Date;
}

const exportQuerySchema = z.strictObject({ month: monthSchema });
const exportParamsSchema = z.strictObject({ format: z.enum(EXPORT_FORMATS) });
const fileParamsSchema = z.strictObject({ month: monthSchema, name: z.string().regex(/^[a-z0-9.-]{1,40}$/, 'must be a stored file name') });

/** The books refusing (mapping missing or incomplete, close too early or out of order) are 4xx with the reason. */
function booksError(error: unknown): never {
  if (error instanceof MappingIncompleteError || error instanceof MappingNotConfiguredError) throw new AdminError('mapping_incomplete', error.message);
  if (error instanceof CloseRefusedError) throw new AdminError('conflict', error.message);
  throw error;
}

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (app, { db, exportConfig, now = () => new Date() }) => {
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
    const file = await exportMonth(db, month, params.data.format, exportConfig).catch(booksError);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('x-stipend-total-nanos', file.totalNanos.toString())
      .header('x-stipend-sha256', file.sha256)
      .header('x-stipend-period', file.closed ? 'closed' : 'open')
      .send(file.csv);
  });

  // Closed months: their cut of the ledger, stored files and hashes; and when the next may close.
  app.get('/api/periods', async () => {
    const closes = await listCloses(db);
    const next = closes.length > 0 ? addMonths(closes.at(-1)!.month, 1) : monthOf(now(), exportConfig.timeZone, -1);
    return {
      timeZone: exportConfig.timeZone,
      closeGraceMs: exportConfig.closeGraceMs,
      next: { month: next, closableAt: closableAt(next, exportConfig.timeZone, exportConfig.closeGraceMs).toISOString() },
      closed: await Promise.all(closes.map(async (c) => closeJson(c, await listCloseFiles(db, c.month)))),
    };
  });

  app.get('/api/periods/:month', async (request) => {
    const { month } = parseQuery(z.strictObject({ month: monthSchema }), request.params, ['month']);
    const close = (await listCloses(db)).find((c) => c.month === month);
    if (!close) throw new AdminError('not_found', `${month} is not closed.`);
    return closeJson(close, await listCloseFiles(db, month));
  });

  app.get('/api/periods/:month/files/:name', async (request, reply) => {
    const { month, name } = parseQuery(fileParamsSchema, request.params, ['month']);
    const file = await readCloseFile(db, month, name);
    if (!file) throw new AdminError('not_found', `No stored file ${name} for ${month}.`);
    return reply
      .type(name.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="stipend-${month}-${name}"`)
      .header('x-stipend-sha256', file.sha256)
      .send(file.content);
  });

  app.post('/api/periods/:month/close', async (request, reply) => {
    requireAdmin(request, 'closing a month');
    const { month } = parseQuery(z.strictObject({ month: monthSchema }), request.params, ['month']);
    const result = await closeMonth(db, month, { config: exportConfig, now: now(), closedBy: 'admin API' }).catch(booksError);
    return reply.status(result.created ? 201 : 200).send(closeJson(result.close, result.files));
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

function closeJson(c: Awaited<ReturnType<typeof listCloses>>[number], files: Readonly<Awaited<ReturnType<typeof listCloseFiles>>>) {
  return {
    month: c.month,
    timeZone: c.timeZone,
    periodStart: c.start.toISOString(),
    periodEnd: c.end.toISOString(),
    closedAt: c.closedAt.toISOString(),
    closedBy: c.closedBy,
    ledgerCut: { seq: String(c.cutoffSeq), hash: c.cutoffHash },
    lastRow: c.lastRowSeq === null ? null : { seq: String(c.lastRowSeq), hash: c.lastRowHash },
    files: files.map((f) => ({ name: f.name, format: f.format, sha256: f.sha256, totalNanos: f.totalNanos === null ? null : String(f.totalNanos) })),
  };
}
