import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { parseCsv } from '../../reports/csv.ts';
import type { ExportConfig } from '../../reports/exports/export-config.schema.ts';
import { EXPORT_FORMATS, exportMonth } from '../../reports/exports/exports.ts';
import { monthOf } from '../../reports/month-window.ts';
import { monthSchema } from '../../reports/spend-report.schema.ts';
import { spreadsheetValue, toXlsx } from '../../reports/xlsx.ts';
import { AdminError } from '../admin-errors.ts';
import { dashboardData, type DashboardData } from '../dashboard/dashboard-data.ts';
import { cellText, tableCsv, tablesXlsx } from '../dashboard/dashboard-table.ts';
import { DASHBOARD_SCRIPT, dashboardPage } from '../dashboard/dashboard.page.ts';
import { parseQuery } from '../parse-query.ts';

const CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TABLES = ['teams', 'budgets', 'people', 'models', 'daily', 'alerts'] as const;

export interface DashboardRoutesOptions {
  readonly db: Db;
  readonly now: () => Date;
  readonly timeZone: string;
  readonly exportConfig: ExportConfig;
}

const monthQuery = z.strictObject({ month: monthSchema.optional() });

export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, { db, now, timeZone, exportConfig }) => {
  // ECharts from node_modules, read once: no CDN, works in an air-gapped cluster.
  const echarts = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));

  /** The month asked for (default: the current one); a month that has not started is a 400. */
  const load = async (query: unknown): Promise<DashboardData> => {
    const { month } = parseQuery(monthQuery, query);
    const at = now();
    if (month && month > monthOf(at, timeZone)) throw new AdminError('invalid_query', `Invalid query: month: ${month} has not started yet.`);
    return dashboardData(db, { now: at, timeZone, ...(month ? { month } : {}) });
  };
  const attachment = (reply: FastifyReply, type: string, filename: string) =>
    reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store');

  app.get('/', async (_request, reply) => reply.redirect('/dashboard'));
  app.get('/dashboard', async (request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-store').send(dashboardPage(await load(request.query))),
  );
  app.get('/dashboard/data.json', async (request) => {
    const d = await load(request.query);
    return {
      month: d.month,
      inProgress: d.inProgress,
      closed: d.closed,
      months: d.months,
      timeZone: d.timeZone,
      totalNanos: d.totalNanos.toString(),
      kpis: d.kpis,
      chart: d.chart,
      tables: d.tables.map((t) => ({ id: t.id, title: t.title, columns: t.columns.map((c) => c.label), rows: t.rows.map((r) => t.columns.map((c) => cellText(c, r[c.key]))) })),
    };
  });

  // Every dashboard table as CSV or XLSX (amounts in USD and exact nano-dollars).
  app.get('/dashboard/tables/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const match = /^([a-z]+)\.(csv|xlsx)$/.exec(file);
    const id = match?.[1] as (typeof TABLES)[number] | undefined;
    if (!match || !id || !TABLES.includes(id)) throw new AdminError('not_found', `Unknown table ${file}: one of ${TABLES.map((t) => `${t}.csv, ${t}.xlsx`).join(', ')}.`);
    const d = await load(request.query);
    const table = d.tables.find((t) => t.id === id)!;
    const name = `stipend-${d.month}-${id}`;
    if (match[2] === 'csv') return attachment(reply, 'text/csv; charset=utf-8', `${name}.csv`).send(tableCsv(table));
    return attachment(reply, XLSX, `${name}.xlsx`).send(tablesXlsx([table]));
  });
  app.get('/dashboard/tables.xlsx', async (request, reply) => {
    const d = await load(request.query);
    return attachment(reply, XLSX, `stipend-${d.month}-dashboard.xlsx`).send(tablesXlsx(d.tables));
  });

  // The ERP and FOCUS exports as XLSX: the same rows as their CSV (GET /api/exports/{format}).
  app.get('/dashboard/exports/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const match = /^([a-z]+)\.xlsx$/.exec(file);
    const format = EXPORT_FORMATS.find((f) => f === match?.[1]);
    if (!format) throw new AdminError('not_found', `Unknown export ${file}: one of ${EXPORT_FORMATS.map((f) => `${f}.xlsx`).join(', ')}.`);
    const { month } = parseQuery(z.strictObject({ month: monthSchema }), request.query);
    const exported = await exportMonth(db, month, format, exportConfig);
    const [header = [], ...rows] = parseCsv(exported.csv);
    return attachment(reply, XLSX, exported.filename.replace(/\.csv$/, '.xlsx'))
      .header('x-stipend-total-nanos', exported.totalNanos.toString())
      .send(toXlsx([{ name: format, header, rows: rows.map((r) => r.map((v) => spreadsheetValue(v.replace(/^'(?=[=+@\t\r-])/, '')))) }]));
    // (A sheet cell is never a formula, so the CSV's apostrophe guard is dropped.)
  });

  app.get('/assets/echarts.min.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(echarts),
  );
  app.get('/assets/dashboard.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DASHBOARD_SCRIPT));
};
