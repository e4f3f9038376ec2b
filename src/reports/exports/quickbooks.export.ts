// QuickBooks Online: Settings → Import data → Journal Entries. Rows sharing a Journal No.
// form one entry; Journal Date is MM/DD/YYYY; Account Name must match the chart of
// accounts (account numbers off); Debits/Credits, one of them per line. Cost center → Class.
import { formatCents } from '../../pricing/money.ts';
import { toCsv } from '../csv.ts';
import { usDate, type Journal } from './journal.ts';

export const QUICKBOOKS_COLUMNS = ['Journal No', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description', 'Name', 'Class', 'Currency Code'] as const;
export const QUICKBOOKS_REQUIRED = ['Journal No', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description'] as const;

export function quickbooksCsv(journal: Journal): string {
  // QuickBooks caps the journal number at 21 characters: "AI-2026-03" fits.
  const journalNo = `AI-${journal.window.month}`;
  return toCsv(
    QUICKBOOKS_COLUMNS,
    journal.lines.map((l) => [
      journalNo,
      usDate(journal.window.lastDay),
      l.account,
      l.debitCents > 0n ? formatCents(l.debitCents) : '',
      l.creditCents > 0n ? formatCents(l.creditCents) : '',
      l.memo,
      '',
      l.costCenter ?? '',
      'USD',
    ]),
  );
}
