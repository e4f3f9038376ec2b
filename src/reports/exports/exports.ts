import type { ExportFormat } from '../../config/reports-config.schema.ts';
import type { Db } from '../../db/database.ts';
import type { ExportConfig } from './export-config.schema.ts';
import { FOCUS_MANDATORY, focusCsv } from './focus.export.ts';
import { buildJournal } from './journal.ts';
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
  /** The ledger total the file books (priced + estimated), exact. */
  readonly totalNanos: bigint;
}

export async function exportMonth(db: Db, month: string, format: ExportFormat, config: ExportConfig): Promise<ExportFile> {
  const filename = `stipend-${month}-${format}.csv`;
  if (format === 'focus') {
    const { csv, totalNanos } = await focusCsv(db, month, config);
    return { filename, csv, totalNanos };
  }
  const journal = await buildJournal(db, month, config);
  const csv = format === 'netsuite' ? netsuiteCsv(journal, config) : format === 'quickbooks' ? quickbooksCsv(journal) : workdayCsv(journal, config);
  return { filename, csv, totalNanos: journal.totalNanos };
}
