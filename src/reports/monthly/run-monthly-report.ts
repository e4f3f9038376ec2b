import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { dispatchOutbox, type DispatchResult, type OutboxDeps, type RenderedMessage } from '../../alerts/outbox-dispatcher.ts';
import type { EmailAttachment } from '../../alerts/senders.ts';
import type { ExportConfig } from '../exports/export-config.schema.ts';
import { exportMonth, type ExportFormat } from '../exports/exports.ts';
import { formatCents } from '../cents.ts';
import { financeDb } from '../finance-tables.ts';
import { barChartPng } from './chart-image.ts';
import { readCloseFile } from '../books/period-closes.repository.ts';
import { closeThrough, SUMMARY_FILE } from './close-month.ts';
import type { MonthSummary } from './month-summary.ts';
import { renderMonthlyReport, teamSummaryCsv, presentSummary } from './monthly-report.render.ts';
import { summaryFromJson } from './summary-json.ts';

export interface MonthlyReportOptions {
  readonly month: string;
  readonly exportConfig: ExportConfig;
  readonly emailTo: readonly string[];
  readonly exportFormats: readonly ExportFormat[];
  readonly dashboardUrl?: string;
  /** The clock the close checks the grace against. */
  readonly now?: Date;
}

/**
 * Sends the report of a closed month only: closes the month first (and any month before it
 * that the order requires) when its grace has passed — refusing with CloseRefusedError before
 * that. The summary is the close's stored summary and the attachments its stored files, so the
 * email matches them to the cent. One delivery per recipient and channel; re-running sends
 * nothing that was sent, and a failed delivery is retried by the next run.
 */
export async function runMonthlyReport(deps: OutboxDeps, options: MonthlyReportOptions): Promise<{ summary: MonthSummary; result: DispatchResult; created: boolean }> {
  await closeThrough(deps.db, options.month, { config: options.exportConfig, now: options.now ?? new Date(), closedBy: 'report monthly' });
  const { summary, created } = await storeSummary(deps.db, options.month);
  const fdb = financeDb(deps.db);
  const rows = [
    ...options.emailTo.map((to) => ({ month: options.month, channel: 'email' as const, recipient: to.toLowerCase() })),
    ...(deps.senders.webhookUrl ? [{ month: options.month, channel: 'webhook' as const, recipient: 'webhook' }] : []),
  ];
  if (rows.length > 0) await fdb.insertInto('monthly_report_deliveries').values(rows).onConflict((oc) => oc.doNothing()).execute();
  const result = await dispatchOutbox(deps, 'monthly_report_deliveries', async (months) => {
    const messages = new Map<string, RenderedMessage>();
    for (const month of months) {
      const stored = month === options.month ? summary : (await loadSummary(deps.db, month));
      if (stored) messages.set(month, await renderWithAttachments(deps.db, stored, options));
    }
    return messages;
  });
  return { summary, result, created };
}

async function storeSummary(db: Db, month: string): Promise<{ summary: MonthSummary; created: boolean }> {
  const existing = await loadSummary(db, month);
  if (existing) return { summary: existing, created: false };
  const file = await readCloseFile(db, month, SUMMARY_FILE);
  if (!file) throw new Error(`${month} is closed but has no stored summary`);
  const summary = summaryFromJson(JSON.parse(file.content.toString('utf8')));
  const timeZone = summary.timeZone;
  const inserted = await financeDb(db)
    .insertInto('monthly_reports')
    .values({ month, time_zone: timeZone, period_start: summary.start, period_end: summary.end, summary: file.content.toString('utf8') })
    .onConflict((oc) => oc.column('month').doNothing())
    .returning('month')
    .executeTakeFirst();
  // Two runs at once: the one that stored first wins, the other sends that.
  return inserted ? { summary, created: true } : { summary: (await loadSummary(db, month))!, created: false };
}

export async function loadSummary(db: Db, month: string): Promise<MonthSummary | null> {
  const row = await financeDb(db).selectFrom('monthly_reports').select('summary').where('month', '=', month).executeTakeFirst();
  return row ? summaryFromJson(row.summary) : null;
}

export async function listMonthlyReports(db: Db) {
  const { rows } = await sql<{ month: string; created_at: Date; sent: bigint; pending: bigint }>`
    select r.month, r.created_at,
           count(d.id) filter (where d.status = 'sent') as sent,
           count(d.id) filter (where d.status in ('pending', 'sending')) as pending
      from monthly_reports r left join monthly_report_deliveries d on d.month = r.month
     group by r.month, r.created_at order by r.month desc`.execute(db);
  return rows;
}

async function renderWithAttachments(db: Db, summary: MonthSummary, options: MonthlyReportOptions): Promise<RenderedMessage> {
  const p = presentSummary(summary);
  const chart = await barChartPng(
    `Spend vs budget per team — ${summary.month}`,
    p.teams.map((t) => t.label),
    [
      { label: 'Spent', values: p.teams.map((t) => Number(formatCents(t.spentCents))), color: '#2563eb' },
      { label: 'Budget', values: p.teams.map((t) => Number(formatCents(t.budgetNanos / 10_000_000n))), color: '#cbd5e1' },
    ],
  ).catch(() => null); // a report without its picture beats no report
  const attachments: EmailAttachment[] = [{ filename: `stipend-${summary.month}-teams.csv`, content: teamSummaryCsv(summary), contentType: 'text/csv' }];
  for (const format of options.exportFormats) {
    const file = await exportMonth(db, summary.month, format, options.exportConfig);
    attachments.push({ filename: file.filename, content: file.csv, contentType: 'text/csv' });
  }
  return renderMonthlyReport(summary, chart, attachments, options.dashboardUrl);
}
