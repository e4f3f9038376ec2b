import type { ExportFormat } from '../../config/reports-config.schema.ts';
import type { Db } from '../../db/database.ts';
import type { BookCut } from '../books/book-cut.ts';
import { bookCutOf } from '../books/book-cut.ts';
import type { BookScope } from '../books/booked-events.ts';
import { closeMarks, listCloses, readCloseFile, sha256Hex, storeCloseFile } from '../books/period-closes.repository.ts';
import type { Erp } from '../gl-mapping/gl-mapping.schema.ts';
import { MappingNotConfiguredError } from '../gl-mapping/mapping-errors.ts';
import { renderTemplate } from '../gl-mapping/render-template.ts';
import { postingResolver } from '../gl-mapping/resolve-posting.ts';
import { monthWindow } from '../month-window.ts';
import { teamNames } from '../spend-report.repository.ts';
import { invoicingVendorId, vendorDisplayName } from '../invoicing-vendor.ts';
import type { ExportConfig } from './export-config.schema.ts';
import { catalogRates, FOCUS_MANDATORY, focusCharges, focusCsv } from './focus.export.ts';
import { bookingGroups, buildJournal, type Journal } from './journal.ts';
import { NETSUITE_REQUIRED, netsuiteCsv } from './netsuite.export.ts';
import { QUICKBOOKS_REQUIRED, quickbooksCsv } from './quickbooks.export.ts';
import { WORKDAY_REQUIRED, workdayCsv } from './workday.export.ts';

/** The columns each target system documents as required for its import. */
export const REQUIRED_COLUMNS: Readonly<Record<ExportFormat, readonly string[]>> = {
  netsuite: NETSUITE_REQUIRED,
  quickbooks: QUICKBOOKS_REQUIRED,
  workday: WORKDAY_REQUIRED,
  focus: FOCUS_MANDATORY,
};

export interface ExportFile {
  readonly filename: string;
  readonly csv: string;
  /** The ledger spend the file books (priced + estimated), exact. */
  readonly totalNanos: bigint;
  readonly sha256: string;
  /** true: the closed month's stored file, byte for byte. */
  readonly closed: boolean;
}

export const exportFilename = (month: string, format: ExportFormat) => `stipend-${month}-${format}.csv`;
/** The name a format is stored under in a closed month. */
export const storedName = (format: ExportFormat) => `${format}.csv`;

/** The scope of a whole month's books under a cut. */
export function monthScope(month: string, timeZone: string, cut: BookCut): BookScope {
  const w = monthWindow(month, timeZone);
  return { from: w.start, to: w.end, monthStart: w.start, cut, withAdjustments: true };
}

/** A month's journal for one ERP from the ledger under `cut` (throws when the mapping is missing or incomplete). */
export async function generateJournal(db: Db, month: string, erp: Erp, config: ExportConfig, cut: BookCut): Promise<Journal> {
  const mapping = config.mapping;
  const m = mapping?.[erp];
  if (!mapping || !m) throw new MappingNotConfiguredError(erp, mapping !== null);
  const w = monthWindow(month, config.timeZone);
  const [groups, names] = await Promise.all([bookingGroups(db, monthScope(month, config.timeZone, cut)), teamNames(db)]);
  const id = erp === 'netsuite' ? mapping.netsuite!.journalId : erp === 'quickbooks' ? mapping.quickbooks!.journalNo : mapping.workday!.journalKey;
  return buildJournal(groups, postingResolver(mapping, erp), {
    month,
    erp,
    lastDay: w.lastDay,
    journalId: renderTemplate(id, { month }),
    memo: renderTemplate(m.memo, { month }),
    adjustmentMemo: renderTemplate(m.adjustmentMemo, { month }),
    lineMemo: m.lineMemo,
    creditMemo: m.creditMemo,
    vendorOf: (g) => invoicingVendorId(g, mapping.invoicedBy),
    vendorName: (v) => vendorDisplayName(v, mapping.vendors),
    teamName: (t) => (t === null ? null : (names.get(t)?.displayName ?? t)),
  });
}

/** A month's export generated from the ledger under `cut` (no stored files consulted). */
export async function generateExport(db: Db, month: string, format: ExportFormat, config: ExportConfig, cut: BookCut): Promise<{ csv: string; totalNanos: bigint }> {
  if (format === 'focus') {
    const names = await teamNames(db);
    const charges = await focusCharges(db, monthScope(month, config.timeZone, cut), config, new Map([...names].map(([k, v]) => [k, v.displayName])));
    const { csv, totalNanos } = focusCsv(charges, {
      billing: monthWindow(month, config.timeZone),
      billingAccountId: config.billingAccountId,
      billingAccountName: config.billingAccountName,
      names: config.mapping?.vendors ?? {},
      invoicedBy: config.mapping?.invoicedBy ?? {},
      rates: catalogRates(config.catalog),
    });
    return { csv, totalNanos };
  }
  const journal = await generateJournal(db, month, format, config, cut);
  const mapping = config.mapping!;
  const csv = format === 'netsuite' ? netsuiteCsv(journal, mapping.netsuite!) : format === 'quickbooks' ? quickbooksCsv(journal, mapping.quickbooks!) : workdayCsv(journal, mapping.workday!);
  return { csv, totalNanos: journal.totalNanos };
}

/**
 * The month's export. A closed month returns its stored file byte for byte; a format first
 * asked for after the close is generated from the close's cut (the same ledger rows) and
 * stored, so it never changes either. An open month is computed from the live ledger.
 */
export async function exportMonth(db: Db, month: string, format: ExportFormat, config: ExportConfig): Promise<ExportFile> {
  const filename = exportFilename(month, format);
  const closes = await listCloses(db);
  const close = closes.find((c) => c.month === month);
  if (close) {
    let stored = await readCloseFile(db, month, storedName(format));
    if (!stored) {
      const closedConfig = { ...config, timeZone: close.timeZone };
      const { csv, totalNanos } = await generateExport(db, month, format, closedConfig, bookCutOf(closeMarks(closes), month));
      stored = await storeCloseFile(db, month, { name: storedName(format), format, content: Buffer.from(csv, 'utf8'), totalNanos });
    }
    return { filename, csv: stored.content.toString('utf8'), totalNanos: stored.totalNanos ?? 0n, sha256: stored.sha256, closed: true };
  }
  const { csv, totalNanos } = await generateExport(db, month, format, config, bookCutOf(closeMarks(closes), month));
  return { filename, csv, totalNanos, sha256: sha256Hex(csv), closed: false };
}
