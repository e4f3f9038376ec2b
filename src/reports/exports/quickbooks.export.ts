// QuickBooks Online: Settings > Import data > Journal entries. Rows sharing a Journal No. are
// one entry; Account Name exactly as in the chart of accounts (sub-accounts "Parent:Child",
// account numbers turned off); one of Debits/Credits per line; Name (the supplier) required on
// Accounts Payable lines; Class and Location need class/location tracking turned on.
import { formatCents } from '../cents.ts';
import { toCsv } from '../csv.ts';
import type { QuickbooksMapping } from '../gl-mapping/gl-mapping.schema.ts';
import { formatDate } from '../gl-mapping/render-template.ts';
import type { Journal } from './journal.ts';

export function quickbooksColumns(m: QuickbooksMapping): string[] {
  const declared = (field: 'class' | 'location') =>
    m.required.includes(field) || [m.dimensions.default, ...Object.values(m.dimensions.teams), ...Object.values(m.dimensions.costCenters)].some((d) => d?.[field] !== undefined);
  return [
    'Journal No.',
    'Journal Date',
    'Account Name',
    'Debits',
    'Credits',
    'Description',
    ...(Object.values(m.accrual).some((a) => a.name) ? ['Name'] : []),
    ...(declared('location') ? ['Location'] : []),
    ...(declared('class') ? ['Class'] : []),
    ...(m.currency ? ['Currency Code'] : []),
  ];
}

export const QUICKBOOKS_REQUIRED = ['Journal No.', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description'] as const;

export function quickbooksCsv(journal: Journal, m: QuickbooksMapping): string {
  const columns = quickbooksColumns(m);
  const rows = journal.entries.flatMap((e) =>
    e.lines.map((l) => {
      const cell: Record<string, string> = {
        'Journal No.': e.id,
        'Journal Date': formatDate(e.date, m.dateFormat),
        'Account Name': l.account,
        Debits: l.side === 'debit' ? formatCents(l.cents) : '',
        Credits: l.side === 'credit' ? formatCents(l.cents) : '',
        Description: l.memo,
        Name: l.name ?? '',
        Location: l.dims.location ?? '',
        Class: l.dims.class ?? '',
        'Currency Code': m.currency ?? '',
      };
      return columns.map((c) => cell[c]!);
    }),
  );
  return toCsv(columns, rows);
}
