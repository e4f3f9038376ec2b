import { describe, expect, it } from 'vitest';
import { roundToCents } from '../../pricing/money.ts';
import { parseGlMapping } from '../gl-mapping/load-gl-mapping.ts';
import { MappingIncompleteError } from '../gl-mapping/mapping-errors.ts';
import { postingResolver } from '../gl-mapping/resolve-posting.ts';
import { invoicingVendorId } from '../invoicing-vendor.ts';
import { buildJournal, type BookingGroup, type Journal } from './journal.ts';

const mapping = parseGlMapping({
  workday: {
    journalSource: 'Stipend',
    accountSet: 'Standard',
    expense: [{ match: 'anthropic/*', ledgerAccount: '6152', spendCategory: 'SC_ANT' }, { match: '*', ledgerAccount: '6150', spendCategory: 'SC_AI' }],
    accrual: { '*': { ledgerAccount: '2150' } },
    dimensions: { default: { company: 'US', costCenter: 'CC_GA' }, costCenters: { 'CC-ENG': { costCenter: 'CC_ENG' }, 'CC-UK': { company: 'UK', costCenter: 'CC_UK' } } },
  },
});
const options = {
  month: '2026-03',
  erp: 'workday' as const,
  lastDay: '2026-03-31',
  journalId: 'STIPEND-2026-03',
  memo: 'AI usage 2026-03',
  adjustmentMemo: 'late',
  lineMemo: '{vendor} {costCenter}',
  creditMemo: 'accrued {vendor}',
  vendorOf: (g: BookingGroup) => invoicingVendorId(g),
  vendorName: (p: string) => p.toUpperCase(),
  teamName: (t: string | null) => t,
};
const group = (costCenter: string | null, provider: string, model: string, nanos: bigint, late = false, platform: string | null = null): BookingGroup => ({
  late,
  team: costCenter && `acme/${costCenter}`,
  costCenter,
  provider,
  platform,
  upstream: platform && `${platform}-1`,
  model,
  nanos,
});

function checkBalanced(journal: Journal) {
  for (const entry of journal.entries) {
    // Per vendor and per balancing worktag (cost center), credits are exactly the debits.
    const sums = new Map<string, bigint>();
    for (const l of entry.lines) {
      const key = `${l.vendor}|${l.dims.costCenter}`;
      sums.set(key, (sums.get(key) ?? 0n) + (l.side === 'debit' ? l.cents : -l.cents));
    }
    for (const [key, sum] of sums) expect(sum, key).toBe(0n);
  }
}

describe('a journal from booking groups', () => {
  it('splits entries per company and adjustment, credits carry the cost center, and each balances per vendor', () => {
    const journal = buildJournal(
      [
        group('CC-ENG', 'openai', 'gpt-4o', 1_235_000_000n),
        group('CC-ENG', 'openai', 'gpt-4o-mini', 1_000_000n), // same account and cost center: one line
        group('CC-UK', 'openai', 'gpt-4o', 2_345_000_000n),
        group('CC-ENG', 'anthropic', 'claude-sonnet-4-5', 3_455_000_000n),
        group(null, 'google', 'gemini-2.5-pro', 15_000_000n),
        group('CC-ENG', 'openai', 'gpt-4o', 7_000_000n, true),
      ],
      postingResolver(mapping, 'workday'),
      options,
    );
    expect(journal.entries.map((e) => `${e.id} ${e.lines.length}`)).toEqual(['STIPEND-2026-03-UK 2', 'STIPEND-2026-03-US 6', 'STIPEND-2026-03-ADJ-US 2']);
    const us = journal.entries[1]!;
    expect(us.lines.map((l) => `${l.side} ${l.account} ${l.cents} ${l.dims.costCenter}${l.dims.spendCategory ? ` ${l.dims.spendCategory}` : ''}`)).toEqual([
      'debit 6152 346 CC_ENG SC_ANT',
      'debit 6150 1 CC_GA SC_AI',
      'debit 6150 124 CC_ENG SC_AI',
      'credit 2150 346 CC_ENG',
      'credit 2150 1 CC_GA',
      'credit 2150 124 CC_ENG',
    ]);
    expect(journal.entries[2]!.memo).toBe('late');
    checkBalanced(journal);
    // Each part (the month's own rows, the adjustments) is rounded once.
    expect(journal.totalCents).toBe(roundToCents(7_051_000_000n) + roundToCents(7_000_000n));
  });

  it('random months: vendors balance, and the total is the exact spend rounded once', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const providers = [['openai', 'gpt-4o'], ['anthropic', 'claude-sonnet-4-5'], ['google', 'gemini-2.5-flash']] as const;
    for (let round = 0; round < 100; round++) {
      const groups = Array.from({ length: 1 + (random() % 25) }, () => {
        const [p, m] = providers[random() % 3]!;
        return group([null, 'CC-ENG', 'CC-UK', 'CC-X'][random() % 4]!, p, m, BigInt(random()) * BigInt(1 + (random() % 50)));
      });
      const journal = buildJournal(groups, postingResolver(mapping, 'workday'), options);
      checkBalanced(journal);
      const debits = journal.entries.flatMap((e) => e.lines).filter((l) => l.side === 'debit').reduce((s, l) => s + l.cents, 0n);
      expect(debits).toBe(roundToCents(groups.reduce((s, g) => s + g.nanos, 0n)));
    }
  });

  it('cloud-served rows are accrued to the cloud: one credit per invoicing vendor, debits per (team, cost center, vendor, account)', () => {
    const qb = parseGlMapping({
      quickbooks: {
        expense: [{ match: 'anthropic/*', account: 'AI:Anthropic models' }, { match: '*', account: 'AI:Other models' }],
        accrual: {
          anthropic: { account: 'Accounts Payable (A/P)', name: 'Anthropic' },
          aws: { account: 'Accounts Payable (A/P)', name: 'Amazon Web Services' },
          '*': { account: 'Accrued AI' },
        },
      },
    });
    const journal = buildJournal(
      [
        group('CC-ENG', 'anthropic', 'claude-sonnet-4-5', 1_000_000_000n, false, 'anthropic'),
        group('CC-ENG', 'anthropic', 'claude-sonnet-4-5', 2_000_000_000n, false, 'bedrock'),
        group('CC-ENG', 'anthropic', 'claude-haiku-4-5', 500_000_000n, false, 'bedrock'), // same vendor and account: one line
        group('CC-ENG', 'anthropic', 'claude-sonnet-4-5', 4_000_000_000n, false, 'vertex-ai'),
        group('CC-ENG', 'google', 'gemini-2.5-pro', 8_000_000_000n, false, 'vertex-ai'),
        group('CC-ENG', 'openai', 'gpt-4o', 16_000_000_000n, false, 'azure-openai'),
        group('CC-ENG', 'openai', 'gpt-4o', 32_000_000_000n), // written before 0018: the maker
      ],
      postingResolver(qb, 'quickbooks'),
      { ...options, erp: 'quickbooks', lineMemo: '{vendor} · {provider}', creditMemo: 'accrued {vendor} ({provider})' },
    );
    const lines = journal.entries[0]!.lines.map((l) => `${l.side} ${l.account} ${l.cents} ${l.name ?? '-'} ${l.memo}`);
    expect(lines).toEqual([
      'debit AI:Anthropic models 100 - ANTHROPIC · anthropic',
      'debit AI:Anthropic models 250 - AWS · anthropic',
      'debit AI:Anthropic models 400 - GOOGLE · anthropic',
      'debit AI:Other models 800 - GOOGLE · google',
      'debit AI:Other models 1600 - MICROSOFT · openai',
      'debit AI:Other models 3200 - OPENAI · openai',
      'credit Accounts Payable (A/P) 100 Anthropic accrued ANTHROPIC (anthropic)',
      'credit Accounts Payable (A/P) 250 Amazon Web Services accrued AWS (anthropic)',
      'credit Accrued AI 1200 - accrued GOOGLE (anthropic, google)',
      'credit Accrued AI 1600 - accrued MICROSOFT (openai)',
      'credit Accrued AI 3200 - accrued OPENAI (openai)',
    ]);
    checkBalanced(journal);
  });

  it('refuses with every missing mapping at once', () => {
    const partial = parseGlMapping({ workday: { journalSource: 'S', accountSet: 'A', expense: [{ match: 'openai/*', ledgerAccount: '6150', spendCategory: 'SC' }], accrual: {} } });
    expect(() => buildJournal([group('CC-ENG', 'openai', 'gpt-4o', 1n), group('CC-ENG', 'anthropic', 'claude-sonnet-4-5', 1n)], postingResolver(partial, 'workday'), options)).toThrow(MappingIncompleteError);
    try {
      buildJournal([group('CC-ENG', 'openai', 'gpt-4o', 1n), group('CC-ENG', 'anthropic', 'claude-sonnet-4-5', 1n)], postingResolver(partial, 'workday'), options);
    } catch (error) {
      expect((error as MappingIncompleteError).missing).toEqual([
        'workday.accrual: no ledger account for vendor anthropic',
        'workday.accrual: no ledger account for vendor openai',
        'workday.dimensions: no company for team acme/CC-ENG (cost center CC-ENG)',
        'workday.dimensions: no costCenter for team acme/CC-ENG (cost center CC-ENG)',
        'workday.expense: no rule matches anthropic/claude-sonnet-4-5',
      ]);
    }
  });
});
