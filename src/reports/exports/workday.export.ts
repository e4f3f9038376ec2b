// Workday accounting journal connector, CSV layout (Import Accounting Journal through the
// connector's "Connector Layouts – CSV"): one row per journal line with the header fields
// repeated; rows with the same JournalKey are one journal. References are given as
// reference-ID type + value (Company_Reference_ID, Account_Set_ID, Ledger_Account_ID);
// worktags as Worktag_<reference ID type> columns. The cost center worktag is on every line,
// credits included, so journals balance by cost center when it is a balancing worktag.
// Amounts are the ledger's: USD.
import { formatCents } from '../cents.ts';
import { toCsv } from '../csv.ts';
import type { WorkdayMapping } from '../gl-mapping/gl-mapping.schema.ts';
import { formatDate } from '../gl-mapping/render-template.ts';
import type { Journal } from './journal.ts';

export const WORKDAY_COLUMNS = [
  'JournalKey',
  'Submit',
  'CompanyReferenceIDType',
  'CompanyReferenceID',
  'Currency',
  'LedgerType',
  'AccountingDate',
  'JournalSource',
  'JournalEntryMemo',
  'JournalLineOrder',
  'LineCompanyReferenceIDType',
  'LineCompanyReferenceID',
  'LedgerAccountReferenceID_ParentIDType',
  'LedgerAccountReferenceID_ParentID',
  'LedgerAccountReferenceIDType',
  'LedgerAccountReferenceID',
  'DebitAmount',
  'CreditAmount',
  'LineCurrency',
  'LineMemo',
  'Worktag_Cost_Center_Reference_ID',
  'Worktag_Spend_Category_ID',
] as const;

export const WORKDAY_REQUIRED = ['JournalKey', 'CompanyReferenceIDType', 'CompanyReferenceID', 'Currency', 'LedgerType', 'AccountingDate', 'JournalSource', 'LedgerAccountReferenceIDType', 'LedgerAccountReferenceID', 'DebitAmount', 'CreditAmount'] as const;

export function workdayCsv(journal: Journal, m: WorkdayMapping): string {
  const rows = journal.entries.flatMap((e) =>
    e.lines.map((l, i) => [
      e.id,
      m.submit ? '1' : '0',
      m.companyReferenceIdType,
      e.entity,
      'USD',
      m.ledgerType,
      formatDate(e.date, m.dateFormat),
      m.journalSource,
      e.memo,
      String(i + 1),
      m.companyReferenceIdType,
      e.entity,
      'Account_Set_ID',
      m.accountSet,
      'Ledger_Account_ID',
      l.account,
      l.side === 'debit' ? formatCents(l.cents) : '',
      l.side === 'credit' ? formatCents(l.cents) : '',
      'USD',
      l.memo,
      l.dims.costCenter ?? '',
      l.side === 'debit' ? (l.dims.spendCategory ?? '') : '',
    ]),
  );
  return toCsv(WORKDAY_COLUMNS, rows);
}
