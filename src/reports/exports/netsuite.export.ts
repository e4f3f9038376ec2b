// NetSuite CSV import (Setup > Import/Export > Import CSV Records > Transactions > Journal
// Entry), single-file layout: one row per line; rows with the same External ID are one entry.
// Facts relied on (docs/exports.md has the sources): External ID on every row of a new entry;
// at least two lines per entry with balancing debits and credits; Account matches the chart
// of accounts; Debit/Credit at most 10 digits and 2 decimals; Subsidiary required in OneWorld.
import { formatCents } from '../cents.ts';
import { toCsv } from '../csv.ts';
import type { NetsuiteMapping } from '../gl-mapping/gl-mapping.schema.ts';
import { formatDate } from '../gl-mapping/render-template.ts';
import type { Journal } from './journal.ts';

const DIMENSIONS = [
  ['department', 'Department'],
  ['class', 'Class'],
  ['location', 'Location'],
] as const;

/** The columns for this mapping: Subsidiary only in OneWorld, Currency/Name/dimensions only when mapped. */
export function netsuiteColumns(m: NetsuiteMapping): string[] {
  const declared = (field: string) =>
    (m.required as readonly string[]).includes(field) ||
    [m.dimensions.default, ...Object.values(m.dimensions.teams), ...Object.values(m.dimensions.costCenters)].some((d) => d?.[field as keyof typeof d] !== undefined);
  return [
    'External ID',
    'Date',
    ...(m.oneWorld ? ['Subsidiary'] : []),
    ...(m.currency ? ['Currency'] : []),
    'Memo',
    'Account',
    'Debit',
    'Credit',
    'Line Memo',
    ...(Object.values(m.accrual).some((a) => a.name) ? ['Name'] : []),
    ...DIMENSIONS.filter(([field]) => declared(field)).map(([, column]) => column),
  ];
}

export const NETSUITE_REQUIRED = ['External ID', 'Date', 'Account', 'Debit', 'Credit'] as const;

export function netsuiteCsv(journal: Journal, m: NetsuiteMapping): string {
  const columns = netsuiteColumns(m);
  const rows = journal.entries.flatMap((e) =>
    e.lines.map((l) => {
      const cell: Record<string, string> = {
        'External ID': e.id,
        Date: formatDate(e.date, m.dateFormat),
        Subsidiary: e.entity,
        Currency: m.currency ?? '',
        Memo: e.memo,
        Account: l.account,
        Debit: l.side === 'debit' ? formatCents(l.cents) : '',
        Credit: l.side === 'credit' ? formatCents(l.cents) : '',
        'Line Memo': l.memo,
        Name: l.name ?? '',
        Department: l.dims.department ?? '',
        Class: l.dims.class ?? '',
        Location: l.dims.location ?? '',
      };
      return columns.map((c) => cell[c]!);
    }),
  );
  return toCsv(columns, rows);
}
