// Workday "Import Accounting Journal" (EIB / accounting journal connector), flattened to one
// row per journal line with the header fields repeated. Rows with the same JournalKey form
// one journal; Company, Currency, LedgerType, AccountingDate (YYYY-MM-DD), JournalSource and
// each line's LedgerAccount and Debit/Credit amount are required. Cost center → worktag.
import { formatCents } from '../../pricing/money.ts';
import { toCsv } from '../csv.ts';
import type { ExportConfig } from './export-config.schema.ts';
import type { Journal } from './journal.ts';

export const WORKDAY_COLUMNS = [
  'JournalKey',
  'CompanyReferenceID',
  'Currency',
  'LedgerType',
  'AccountingDate',
  'JournalSource',
  'JournalEntryMemo',
  'LineOrder',
  'LedgerAccountReferenceID',
  'DebitAmount',
  'CreditAmount',
  'LineMemo',
  'CostCenterReferenceID',
] as const;
export const WORKDAY_REQUIRED = ['JournalKey', 'CompanyReferenceID', 'Currency', 'LedgerType', 'AccountingDate', 'JournalSource', 'LedgerAccountReferenceID', 'DebitAmount', 'CreditAmount'] as const;

export function workdayCsv(journal: Journal, config: ExportConfig): string {
  return toCsv(
    WORKDAY_COLUMNS,
    journal.lines.map((l, i) => [
      journal.journalId,
      config.workdayCompany,
      'USD',
      'Actuals',
      journal.window.lastDay,
      config.workdayJournalSource,
      journal.memo,
      i + 1,
      l.account,
      l.debitCents > 0n ? formatCents(l.debitCents) : '0.00',
      l.creditCents > 0n ? formatCents(l.creditCents) : '0.00',
      l.memo,
      l.costCenter ?? '',
    ]),
  );
}
