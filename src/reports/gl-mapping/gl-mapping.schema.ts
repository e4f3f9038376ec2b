// The GL mapping: how ledger spend is booked in each ERP (accounts, dimensions, worktags,
// date format, memos). Declared in YAML (GitOps), validated here; docs/exports.md documents
// every field. Nothing has a placeholder default: what a journal needs and the file does not
// say is reported as missing, and the export refuses.
import { z } from 'zod';

/** Placeholders a memo or id template may use. */
export const TEMPLATE_FIELDS = ['month', 'vendor', 'provider', 'team', 'teamName', 'costCenter', 'account'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

const nonEmpty = z.string().trim().min(1, 'must not be empty');

function template(allowed: readonly TemplateField[]) {
  return nonEmpty.superRefine((text, ctx) => {
    for (const [, name] of text.matchAll(/\{([^}]*)\}/g)) {
      if (!(allowed as readonly string[]).includes(name!)) ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}}; allowed: ${allowed.map((a) => `{${a}}`).join(', ')}` });
    }
  });
}

/** Date patterns as the ERPs' import settings name them: YYYY, MM, DD (M, D unpadded), one separator. */
export const dateFormatSchema = z
  .string()
  .regex(/^(YYYY|MM|DD|M|D)([-/.])(YYYY|MM|DD|M|D)\2(YYYY|MM|DD|M|D)$/, 'must be a date pattern like MM/DD/YYYY, DD.MM.YYYY or YYYY-MM-DD')
  .refine((f) => ['Y', 'M', 'D'].every((c) => f.split(/[-/.]/).filter((p) => p[0] === c).length === 1), 'must name the year, month and day once each');

/** provider/model glob, as ModelPolicy allow lists write them: "anthropic/*", "openai/gpt-4o*", "*". */
const modelGlob = z.string().regex(/^(\*|[a-z0-9-]+\/[A-Za-z0-9.*:_-]+)$/, 'must be "*" or a provider/model glob like "anthropic/claude-*"');
/**
 * An invoicing vendor id or "*" for every vendor without its own key. Vendor ids: the maker's
 * own API is its provider id (openai, anthropic, google); a cloud platform is its company (aws
 * for Bedrock, microsoft for Azure OpenAI, google for Vertex AI); see src/reports/invoicing-vendor.ts.
 */
const vendorKey = z.string().regex(/^(\*|[a-z0-9-]+)$/, 'must be a vendor id like "openai", "aws", "microsoft" or "*"');
const vendorId = z.string().regex(/^[a-z0-9-]+$/, 'must be a vendor id like "aws" (lowercase letters, digits, dashes)');
/** An upstream's name as the routing file declares it (it is written into every ledger row). */
const upstreamName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be an upstream name from the routing file');
const teamKey = z.string().regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'must be a team as namespace/name');

/** Where dimension values come from: a team (namespace/name), else its cost center, else `default`. Fields merge in that order. */
function dimensions<S extends z.ZodRawShape>(shape: S) {
  const values = z.strictObject(shape);
  return z
    .strictObject({
      teams: z.record(teamKey, values).default({}),
      costCenters: z.record(nonEmpty, values).default({}),
      default: values.optional(),
    })
    .default({ teams: {}, costCenters: {} });
}

const memos = {
  /** Header memo of the month's entry. */
  memo: template(['month']).default('AI usage {month}'),
  /** Header memo of the adjustment entry (late rows of closed months). */
  adjustmentMemo: template(['month']).default('AI usage of closed months settled late, booked {month}'),
  /** Memo of each expense (debit) line. */
  lineMemo: template(['month', 'vendor', 'provider', 'team', 'teamName', 'costCenter', 'account']).default('AI usage {month} · {vendor} · {costCenter}'),
  /** Memo of each accrual (credit) line. */
  creditMemo: template(['month', 'vendor', 'provider', 'costCenter', 'account']).default('Accrued AI usage {month} · {vendor}'),
};

/** A Currency column is written only when set: each ERP defaults the entry to the company's base currency. */
const currency = nonEmpty.optional();

export const netsuiteMappingSchema = z.strictObject({
  /** OneWorld accounts require a Subsidiary on every journal entry. */
  oneWorld: z.boolean(),
  dateFormat: dateFormatSchema.default('MM/DD/YYYY'),
  currency,
  /** Dimensions your account makes mandatory (Accounting Preferences): missing ones are reported. */
  required: z.array(z.enum(['department', 'class', 'location'])).default([]),
  /** External ID of the month's entry; "-ADJ" is appended for the adjustment entry. */
  journalId: template(['month']).default('STIPEND-{month}'),
  ...memos,
  /** First matching rule wins. Account as NetSuite shows it ("6150 AI Services" with account numbers on). */
  expense: z.array(z.strictObject({ match: modelGlob, account: nonEmpty })).min(1, 'needs at least one rule'),
  /** Accrual (or A/P) account per vendor; `name` fills the Name column (the vendor record). */
  accrual: z.record(vendorKey, z.strictObject({ account: nonEmpty, name: nonEmpty.optional() })),
  dimensions: dimensions({ subsidiary: nonEmpty.optional(), department: nonEmpty.optional(), class: nonEmpty.optional(), location: nonEmpty.optional() }),
});

export const quickbooksMappingSchema = z.strictObject({
  dateFormat: dateFormatSchema.default('MM/DD/YYYY'),
  currency,
  required: z.array(z.enum(['class', 'location'])).default([]),
  /** Journal No.; QuickBooks allows 21 characters (checked with "-ADJ" appended). */
  journalNo: template(['month']).default('AI-{month}'),
  ...memos,
  /** Account names exactly as in the chart of accounts; sub-accounts as "Parent:Child". */
  expense: z.array(z.strictObject({ match: modelGlob, account: nonEmpty })).min(1, 'needs at least one rule'),
  /** `name` (the supplier) is required by QuickBooks when the account is Accounts Payable. */
  accrual: z.record(vendorKey, z.strictObject({ account: nonEmpty, name: nonEmpty.optional() })),
  dimensions: dimensions({ class: nonEmpty.optional(), location: nonEmpty.optional() }),
});

export const workdayMappingSchema = z.strictObject({
  dateFormat: dateFormatSchema.default('YYYY-MM-DD'),
  /** Journal Source reference ID (create it in Workday). */
  journalSource: nonEmpty,
  ledgerType: nonEmpty.default('Actuals'),
  /** The account set ledger accounts are referenced in (LedgerAccountReferenceID_ParentID). */
  accountSet: nonEmpty,
  /** How companies are referenced: Company_Reference_ID (default) or Organization_Reference_ID. */
  companyReferenceIdType: z.enum(['Company_Reference_ID', 'Organization_Reference_ID']).default('Company_Reference_ID'),
  /** true: journals are submitted (posted) on import; false: saved as drafts for review. */
  submit: z.boolean().default(false),
  journalKey: template(['month']).default('STIPEND-{month}'),
  ...memos,
  /** Ledger account reference ID and Spend Category worktag per provider/model; first match wins. */
  expense: z.array(z.strictObject({ match: modelGlob, ledgerAccount: nonEmpty, spendCategory: nonEmpty.optional() })).min(1, 'needs at least one rule'),
  accrual: z.record(vendorKey, z.strictObject({ ledgerAccount: nonEmpty })),
  /** Company and Cost Center per team or cost center; a Spend Category here applies when the expense rule has none. */
  dimensions: dimensions({ company: nonEmpty.optional(), costCenter: nonEmpty.optional(), spendCategory: nonEmpty.optional() }),
});

export const glMappingSchema = z
  .strictObject({
    /** Display names per vendor id or provider id (defaults: OpenAI, Anthropic, Google, AWS, Microsoft): memos and FOCUS names. */
    vendors: z.record(vendorId, nonEmpty).default({}),
    /** Upstreams invoiced by someone other than the company that runs them (a reseller): upstream name → vendor id. */
    invoicedBy: z.record(upstreamName, vendorId).default({}),
    netsuite: netsuiteMappingSchema.optional(),
    quickbooks: quickbooksMappingSchema.optional(),
    workday: workdayMappingSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.quickbooks) {
      const longest = m.quickbooks.journalNo.replace(/\{month\}/g, '2026-12').length + '-ADJ'.length;
      if (longest > 21) ctx.addIssue({ code: 'custom', path: ['quickbooks', 'journalNo'], message: `renders to ${longest} characters with "-ADJ"; QuickBooks allows 21` });
    }
  });

export type GlMapping = z.output<typeof glMappingSchema>;
export type NetsuiteMapping = z.output<typeof netsuiteMappingSchema>;
export type QuickbooksMapping = z.output<typeof quickbooksMappingSchema>;
export type WorkdayMapping = z.output<typeof workdayMappingSchema>;
export type Erp = 'netsuite' | 'quickbooks' | 'workday';
export const ERPS: readonly Erp[] = ['netsuite', 'quickbooks', 'workday'];
