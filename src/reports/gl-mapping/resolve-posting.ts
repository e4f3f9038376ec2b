// Turns one booking group (team, cost center, invoicing vendor, provider, model) into the
// accounts and dimensions an ERP books it with, or the list of what the mapping does not say.
// Expense rules match the model (provider/model, the maker); the accrual is the invoicing
// vendor's (AWS for Claude on Bedrock), else "*".
import { compileGlobs } from '../../policy/glob.ts';
import type { Erp, GlMapping } from './gl-mapping.schema.ts';

export interface BookingKey {
  readonly team: string | null;
  readonly costCenter: string | null;
  /** The invoicing vendor id (src/reports/invoicing-vendor.ts): whose accrual is credited. */
  readonly vendor: string;
  /** The model's maker and the model: what expense rules match. */
  readonly provider: string;
  readonly model: string;
}

/** How one group is booked: the expense (debit) side and the accrual (credit) side. */
export interface Posting {
  /** NetSuite subsidiary or Workday company: one journal entry each ('' when the ERP has none). */
  readonly entity: string;
  readonly debitAccount: string;
  /** ERP columns of the debit line, e.g. { department, class } or { costCenter, spendCategory }. */
  readonly debitDims: Readonly<Record<string, string>>;
  readonly creditAccount: string;
  /** The vendor record on the credit line (NetSuite/QuickBooks Name), when mapped. */
  readonly creditName: string | null;
  /** Dimensions the credit line carries too (Workday: the cost center, a balancing worktag). */
  readonly creditDims: Readonly<Record<string, string>>;
}

export type Resolution = { readonly posting: Posting } | { readonly missing: readonly string[] };
export type ResolvePosting = (key: BookingKey) => Resolution;

function firstMatch<T extends { readonly match: string }>(rules: readonly T[], key: BookingKey): T | undefined {
  const value = `${key.provider}/${key.model}`;
  return rules.find((r) => compileGlobs([r.match])(value));
}

function dimsFor<D extends object>(dims: { teams: Record<string, D>; costCenters: Record<string, D>; default?: D | undefined }, key: BookingKey): Partial<D> {
  return {
    ...(dims.default ?? {}),
    ...((key.costCenter !== null ? dims.costCenters[key.costCenter] : undefined) ?? {}),
    ...((key.team !== null ? dims.teams[key.team] : undefined) ?? {}),
  };
}

/** "aws (serves anthropic)" when the vendor is not the maker, so the message says which rows it is about. */
const vendorOf = (key: BookingKey) => (key.vendor === key.provider ? key.vendor : `${key.vendor} (serves ${key.provider})`);
const who = (key: BookingKey) => `team ${key.team ?? '(none)'} (cost center ${key.costCenter ?? '(none)'})`;
const defined = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

/** The resolver for one ERP of the mapping (which must declare it). */
export function postingResolver(mapping: GlMapping, erp: Erp): ResolvePosting {
  switch (erp) {
    case 'netsuite': {
      const m = mapping.netsuite!;
      return (key) => {
        const missing: string[] = [];
        const rule = firstMatch(m.expense, key);
        if (!rule) missing.push(`netsuite.expense: no rule matches ${key.provider}/${key.model}`);
        const accrual = m.accrual[key.vendor] ?? m.accrual['*'];
        if (!accrual) missing.push(`netsuite.accrual: no account for vendor ${vendorOf(key)}`);
        const d = dimsFor(m.dimensions, key);
        if (m.oneWorld && !d.subsidiary) missing.push(`netsuite.dimensions: no subsidiary for ${who(key)} (OneWorld requires one)`);
        for (const field of m.required) if (!d[field]) missing.push(`netsuite.dimensions: no ${field} for ${who(key)} (required)`);
        if (missing.length > 0) return { missing };
        return {
          posting: {
            entity: m.oneWorld ? d.subsidiary! : '',
            debitAccount: rule!.account,
            debitDims: defined({ department: d.department, class: d.class, location: d.location }),
            creditAccount: accrual!.account,
            creditName: accrual!.name ?? null,
            creditDims: {},
          },
        };
      };
    }
    case 'quickbooks': {
      const m = mapping.quickbooks!;
      return (key) => {
        const missing: string[] = [];
        const rule = firstMatch(m.expense, key);
        if (!rule) missing.push(`quickbooks.expense: no rule matches ${key.provider}/${key.model}`);
        const accrual = m.accrual[key.vendor] ?? m.accrual['*'];
        if (!accrual) missing.push(`quickbooks.accrual: no account for vendor ${vendorOf(key)}`);
        const d = dimsFor(m.dimensions, key);
        for (const field of m.required) if (!d[field]) missing.push(`quickbooks.dimensions: no ${field} for ${who(key)} (required)`);
        if (missing.length > 0) return { missing };
        return {
          posting: {
            entity: '',
            debitAccount: rule!.account,
            debitDims: defined({ class: d.class, location: d.location }),
            creditAccount: accrual!.account,
            creditName: accrual!.name ?? null,
            creditDims: {},
          },
        };
      };
    }
    case 'workday': {
      const m = mapping.workday!;
      return (key) => {
        const missing: string[] = [];
        const rule = firstMatch(m.expense, key);
        if (!rule) missing.push(`workday.expense: no rule matches ${key.provider}/${key.model}`);
        const accrual = m.accrual[key.vendor] ?? m.accrual['*'];
        if (!accrual) missing.push(`workday.accrual: no ledger account for vendor ${vendorOf(key)}`);
        const d = dimsFor(m.dimensions, key);
        if (!d.company) missing.push(`workday.dimensions: no company for ${who(key)}`);
        if (!d.costCenter) missing.push(`workday.dimensions: no costCenter for ${who(key)}`);
        const spendCategory = rule?.spendCategory ?? d.spendCategory;
        if (rule && !spendCategory) missing.push(`workday: no spendCategory for ${key.provider}/${key.model} (expense rule) or ${who(key)} (dimensions)`);
        if (missing.length > 0) return { missing };
        return {
          posting: {
            entity: d.company!,
            debitAccount: rule!.ledgerAccount,
            debitDims: { costCenter: d.costCenter!, spendCategory: spendCategory! },
            creditAccount: accrual!.ledgerAccount,
            creditName: null,
            // Cost center is a balancing worktag in most tenants: each cost center's credits must
            // equal its debits, so the accrual is split per cost center and carries it.
            creditDims: { costCenter: d.costCenter! },
          },
        };
      };
    }
  }
}
