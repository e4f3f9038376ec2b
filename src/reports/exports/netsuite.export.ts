// NetSuite CSV import, record type Journal Entry. All lines with the same External ID form
// one entry; Account (number and name when "Use Account Numbers" is on), Debit/Credit with
// at most 2 decimals, and Subsidiary (required in OneWorld accounts). Cost center → Department.
import { formatCents } from '../../pricing/money.ts';
import { toCsv } from '../csv.ts';
import type { ExportConfig } from './export-config.schema.ts';
import { usDate, type Journal } from './journal.ts';

export const NETSUITE_COLUMNS = ['External ID', 'Date', 'Subsidiary', 'Currency', 'Memo', 'Account', 'Debit', 'Credit', 'Line Memo', 'Department'] as const;
export const NETSUITE_REQUIRED = ['External ID', 'Date', 'Subsidiary', 'Account', 'Debit', 'Credit'] as const;

export function netsuiteCsv(journal: Journal, config: ExportConfig): string {
  return toCsv(
    NETSUITE_COLUMNS,
    journal.lines.map((l) => [
      journal.journalId,
      usDate(journal.window.lastDay),
      config.netsuiteSubsidiary,
      'USD',
      journal.memo,
      l.account,
      l.debitCents > 0n ? formatCents(l.debitCents) : '',
      l.creditCents > 0n ? formatCents(l.creditCents) : '',
      l.memo,
      l.costCenter ?? '',
    ]),
  );
}
