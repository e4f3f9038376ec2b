import { describe, expect, it } from 'vitest';
import { loadGlMapping, parseGlMapping } from './load-gl-mapping.ts';
import { formatDate, renderTemplate } from './render-template.ts';
import { postingResolver } from './resolve-posting.ts';

const netsuite = {
  oneWorld: true,
  expense: [
    { match: 'anthropic/claude-haiku-*', account: '6153 Haiku' },
    { match: 'anthropic/*', account: '6152 Anthropic' },
    { match: '*', account: '6150 AI' },
  ],
  accrual: { '*': { account: '2150 Accrued' } },
  dimensions: {
    default: { subsidiary: 'Acme Inc.', department: 'G&A' },
    costCenters: { 'CC-ENG-001': { department: 'Engineering', class: 'R&D' } },
    teams: { 'acme/platform': { class: 'Platform' } },
  },
};

describe('the GL mapping file', () => {
  it('names every bad field by its path', () => {
    expect(() =>
      parseGlMapping({
        netsuite: { oneWorld: 'yes', dateFormat: 'DD/MM', expense: [], accrual: { OpenAI: { account: '' } }, lineMemo: 'x {month} {colour}' },
        quickbooks: { journalNo: 'STIPEND-AI-USAGE-{month}', expense: [{ match: 'openai/*', account: 'AI' }], accrual: {} },
        sap: {},
      }),
    ).toThrow(
      /netsuite\.oneWorld: .*; netsuite\.dateFormat: must be a date pattern like MM\/DD\/YYYY.*; netsuite\.lineMemo: unknown placeholder \{colour\}.*netsuite\.expense: needs at least one rule.*netsuite\.accrual\.OpenAI.*/s,
    );
    expect(() => parseGlMapping({ quickbooks: { journalNo: 'STIPEND-AI-USAGE-{month}', expense: [{ match: '*', account: 'AI' }], accrual: {} } })).toThrow(
      'quickbooks.journalNo: renders to 28 characters with "-ADJ"; QuickBooks allows 21',
    );
    expect(() => parseGlMapping({ sap: {} })).toThrow(/\(file\): .*sap/);
    expect(() => parseGlMapping({ workday: { expense: [{ match: '*', ledgerAccount: '6150' }], accrual: {} } })).toThrow(/workday\.journalSource: .*workday\.accountSet: /s);
  });

  it('the shipped example is a valid mapping for all three ERPs', () => {
    const m = loadGlMapping(new URL('../../../examples/finance/gl-mapping.yaml', import.meta.url).pathname);
    expect([m.netsuite?.oneWorld, m.quickbooks?.journalNo, m.workday?.journalSource]).toEqual([true, 'AI-{month}', 'Stipend_AI_Usage']);
  });

  it('resolves the first matching expense rule, and dimensions team over cost center over default', () => {
    const resolve = postingResolver(parseGlMapping({ netsuite }), 'netsuite');
    expect(resolve({ team: 'acme/platform', costCenter: 'CC-ENG-001', vendor: 'anthropic', provider: 'anthropic', model: 'claude-haiku-4-5' })).toEqual({
      posting: {
        entity: 'Acme Inc.',
        debitAccount: '6153 Haiku',
        debitDims: { department: 'Engineering', class: 'Platform' },
        creditAccount: '2150 Accrued',
        creditName: null,
        creditDims: {},
      },
    });
    expect(resolve({ team: null, costCenter: null, vendor: 'openai', provider: 'openai', model: 'gpt-4o' })).toMatchObject({ posting: { debitAccount: '6150 AI', debitDims: { department: 'G&A' } } });
  });

  it("credits the invoicing vendor's accrual: its own key, else \"*\" — never the maker's", () => {
    const m = parseGlMapping({
      netsuite: {
        ...netsuite,
        accrual: { anthropic: { account: '2000 AP', name: 'Anthropic, PBC' }, aws: { account: '2000 AP', name: 'Amazon Web Services, Inc.' }, '*': { account: '2150 Accrued' } },
      },
    });
    const resolve = postingResolver(m, 'netsuite');
    const key = { team: null, costCenter: null, provider: 'anthropic', model: 'claude-sonnet-4-5' };
    expect(resolve({ ...key, vendor: 'anthropic' })).toMatchObject({ posting: { debitAccount: '6152 Anthropic', creditAccount: '2000 AP', creditName: 'Anthropic, PBC' } });
    expect(resolve({ ...key, vendor: 'aws' })).toMatchObject({ posting: { debitAccount: '6152 Anthropic', creditAccount: '2000 AP', creditName: 'Amazon Web Services, Inc.' } });
    expect(resolve({ ...key, vendor: 'google' })).toMatchObject({ posting: { creditAccount: '2150 Accrued', creditName: null } });
    const noFallback = parseGlMapping({ netsuite: { ...netsuite, accrual: { anthropic: { account: '2000 AP' } } } });
    expect(postingResolver(noFallback, 'netsuite')({ ...key, vendor: 'aws' })).toEqual({ missing: ['netsuite.accrual: no account for vendor aws (serves anthropic)'] });
  });

  it('accepts vendor ids, reseller upstreams and names; refuses bad ones', () => {
    const m = parseGlMapping({ vendors: { aws: 'Amazon Web Services' }, invoicedBy: { 'azure-csp': 'crayon' } });
    expect([m.vendors, m.invoicedBy]).toEqual([{ aws: 'Amazon Web Services' }, { 'azure-csp': 'crayon' }]);
    expect(() => parseGlMapping({ invoicedBy: { 'Azure CSP': 'crayon' } })).toThrow('invoicedBy.Azure CSP: Invalid key in record');
    expect(() => parseGlMapping({ invoicedBy: { 'azure-csp': 'Crayon Ltd' } })).toThrow('invoicedBy.azure-csp: must be a vendor id like "aws"');
  });

  it('reports what is missing instead of inventing it', () => {
    const m = parseGlMapping({
      netsuite: { ...netsuite, required: ['location'], expense: [{ match: 'openai/*', account: '6150' }], accrual: {}, dimensions: { costCenters: {} } },
      workday: { journalSource: 'S', accountSet: 'Standard', expense: [{ match: '*', ledgerAccount: '6150' }], accrual: { '*': { ledgerAccount: '2150' } } },
    });
    expect(postingResolver(m, 'netsuite')({ team: 'acme/x', costCenter: 'CC-1', vendor: 'google', provider: 'google', model: 'gemini-2.5-pro' })).toEqual({
      missing: [
        'netsuite.expense: no rule matches google/gemini-2.5-pro',
        'netsuite.accrual: no account for vendor google',
        'netsuite.dimensions: no subsidiary for team acme/x (cost center CC-1) (OneWorld requires one)',
        'netsuite.dimensions: no location for team acme/x (cost center CC-1) (required)',
      ],
    });
    expect(postingResolver(m, 'workday')({ team: 'acme/x', costCenter: 'CC-1', vendor: 'openai', provider: 'openai', model: 'gpt-4o' })).toEqual({
      missing: [
        'workday.dimensions: no company for team acme/x (cost center CC-1)',
        'workday.dimensions: no costCenter for team acme/x (cost center CC-1)',
        'workday: no spendCategory for openai/gpt-4o (expense rule) or team acme/x (cost center CC-1) (dimensions)',
      ],
    });
  });

  it('renders memos and dates as each ERP is told to read them', () => {
    expect(renderTemplate('AI usage {month} · {vendor} · {costCenter}', { month: '2026-03', vendor: 'OpenAI', costCenter: null })).toBe('AI usage 2026-03 · OpenAI');
    expect(formatDate('2026-03-09', 'MM/DD/YYYY')).toBe('03/09/2026');
    expect(formatDate('2026-03-09', 'DD.MM.YYYY')).toBe('09.03.2026');
    expect(formatDate('2026-03-09', 'M/D/YYYY')).toBe('3/9/2026');
    expect(formatDate('2026-03-09', 'YYYY-MM-DD')).toBe('2026-03-09');
  });
});
