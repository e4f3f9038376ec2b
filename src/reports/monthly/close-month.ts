// Period close: freeze a month's books once it has ended and its grace has passed. The
// journals (every ERP the GL mapping declares), the FOCUS file, the summary and the spend
// figures are computed from one ledger cut and stored write-once with their SHA-256.
import type { Db } from '../../db/database.ts';
import { ERPS } from '../gl-mapping/gl-mapping.schema.ts';
import type { ExportConfig } from '../exports/export-config.schema.ts';
import { generateExport, storedName, type ExportFormat } from '../exports/exports.ts';
import { monthWindow } from '../month-window.ts';
import { buildMonthSummary } from './month-summary.ts';
import { summaryToJson } from './summary-json.ts';
import { figuresToJson, monthFigures, SPEND_FIGURES_FILE } from '../spend-report.ts';
import { addMonths, bookCutOf } from '../books/book-cut.ts';
import { closeMarks, insertClose, lastRowBefore, listCloseFiles, listCloses, readLedgerHead, type CloseRecord, type NewFile, type StoredFile } from '../books/period-closes.repository.ts';

export const SUMMARY_FILE = 'summary.json';

export type CloseRefusal = 'too_early' | 'out_of_order';

/** A close that may not happen (yet): the message says why and when. */
export class CloseRefusedError extends Error {
  override readonly name = 'CloseRefusedError';
  readonly reason: CloseRefusal;
  constructor(reason: CloseRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface CloseResult {
  readonly close: CloseRecord;
  readonly files: readonly Omit<StoredFile, 'content'>[];
  /** false: the month was already closed; nothing changed. */
  readonly created: boolean;
}

/** The first instant a month may be closed: its end (local midnight) plus the grace. */
export function closableAt(month: string, timeZone: string, graceMs: number): Date {
  return new Date(monthWindow(month, timeZone).end.getTime() + graceMs);
}

/** Months close in order: the first close may be any month, then each the month after the last. */
export function checkOrder(closes: readonly CloseRecord[], month: string): void {
  const last = closes.at(-1);
  if (!last) return;
  if (month < last.month) {
    throw new CloseRefusedError('out_of_order', `${month} cannot be closed: ${last.month} is already closed and months close in order (the books start at ${closes[0]!.month}).`);
  }
  const next = addMonths(last.month, 1);
  if (month !== next) throw new CloseRefusedError('out_of_order', `${month} cannot be closed before ${next}: months close in order (last closed: ${last.month}).`);
}

export interface CloseOptions {
  readonly config: ExportConfig;
  readonly now: Date;
  readonly closedBy: string;
}

/**
 * Closes `month`, or returns its close if it is closed already. Refuses (CloseRefusedError)
 * before the month's end plus grace and out of order; refuses (MappingIncompleteError) when a
 * declared ERP's mapping does not cover the month, listing what is missing.
 */
export async function closeMonth(db: Db, month: string, options: CloseOptions): Promise<CloseResult> {
  const { config } = options;
  const closes = await listCloses(db);
  const existing = closes.find((c) => c.month === month);
  if (existing) return { close: existing, files: await listCloseFiles(db, month), created: false };
  checkOrder(closes, month);
  const at = closableAt(month, config.timeZone, config.closeGraceMs);
  if (options.now < at) {
    throw new CloseRefusedError(
      'too_early',
      `${month} cannot be closed before ${at.toISOString()} (the month ends ${monthWindow(month, config.timeZone).end.toISOString()} in ${config.timeZone}, plus a grace of ${config.closeGraceMs} ms so that requests reserved before the end have settled).`,
    );
  }

  // Every row up to the head is committed; rows after it are not in these books.
  const head = await readLedgerHead(db);
  const cut = bookCutOf(closeMarks(closes), month, head.seq);
  const formats: ExportFormat[] = [...ERPS.filter((erp) => config.mapping?.[erp]), 'focus'];
  const exports = await Promise.all(formats.map(async (format) => ({ format, ...(await generateExport(db, month, format, config, cut)) })));
  const w = monthWindow(month, config.timeZone);
  const [figures, summary, lastRow] = await Promise.all([
    monthFigures(db, month, config.timeZone, closes, head.seq),
    buildMonthSummary(db, month, config.timeZone, { closingCut: head.seq, chain: { seq: head.seq, hash: head.hash.toString('hex') } }),
    lastRowBefore(db, w.start, w.end, head.seq),
  ]);
  const files: NewFile[] = [
    ...exports.map((e) => ({ name: storedName(e.format), format: e.format, content: Buffer.from(e.csv, 'utf8'), totalNanos: e.totalNanos })),
    { name: SPEND_FIGURES_FILE, format: 'figures', content: Buffer.from(`${JSON.stringify(figuresToJson(figures), null, 1)}\n`, 'utf8'), totalNanos: figures.total.spendNanos },
    { name: SUMMARY_FILE, format: 'summary', content: Buffer.from(`${JSON.stringify(summaryToJson(summary), null, 1)}\n`, 'utf8'), totalNanos: summary.spentNanos },
  ];
  const created = await insertClose(
    db,
    {
      month,
      timeZone: config.timeZone,
      start: w.start,
      end: w.end,
      cutoffSeq: head.seq,
      cutoffHash: head.hash,
      lastRow,
      graceMs: config.closeGraceMs,
      closedAt: options.now,
      closedBy: options.closedBy,
      files,
    },
    (current) => checkOrder(current, month),
  );
  const close = (await listCloses(db)).find((c) => c.month === month)!;
  return { close, files: await listCloseFiles(db, month), created };
}

/**
 * Closes every month up to `month` that the order requires (the months after the last close),
 * oldest first — what the monthly CronJob does before it sends. Without any close yet, only
 * `month` is closed: the books start there.
 */
export async function closeThrough(db: Db, month: string, options: CloseOptions): Promise<CloseResult[]> {
  const closes = await listCloses(db);
  const last = closes.at(-1);
  if (last && month <= last.month) return [await closeMonth(db, month, options)];
  const results: CloseResult[] = [];
  const first = last ? addMonths(last.month, 1) : month;
  const count = (Number(month.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(month.slice(5, 7)) - Number(first.slice(5, 7));
  for (let i = 0, m = first; i <= count; i++, m = addMonths(m, 1)) results.push(await closeMonth(db, m, options));
  return results;
}
