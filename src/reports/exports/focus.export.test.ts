// The FOCUS row shape: one row per charge and SKU (token kind), each with its list unit price,
// SKU price id and decimal quantity; ListUnitPrice × PricingQuantity = ListCost exactly;
// BilledCost sums to the ledger's charge. The FinOps Foundation validator runs in .ci.
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../pricing/catalog.ts';
import { monthWindow } from '../month-window.ts';
import { catalogRates, FOCUS_COLUMNS, focusDateTime, focusRows, scaledDecimal, type FocusCharge } from './focus.export.ts';

const ctx = {
  billing: monthWindow('2026-03', 'UTC'),
  billingAccountId: 'stipend',
  billingAccountName: 'Stipend',
  names: {},
  invoicedBy: {},
  rates: catalogRates(defaultCatalog()),
};
const charge = (over: Partial<FocusCharge> = {}): FocusCharge => ({
  late: false,
  dayStart: new Date('2026-03-05T00:00:00Z'),
  dayEnd: new Date('2026-03-06T00:00:00Z'),
  team: 'acme/engineering',
  teamName: 'Engineering',
  costCenter: 'CC-ENG-001',
  email: 'ada@acme.example',
  provider: 'anthropic',
  platform: null,
  upstream: null,
  model: 'claude-sonnet-4-5',
  pricingStatus: 'priced',
  longContext: false,
  requests: 3n,
  costNanos: 19_725_000n,
  tokens: { input: 1000n, cachedInput: 2000n, cacheWrite: 1500n, output: 700n },
  requestsWith: { input: 3n, cachedInput: 1n, cacheWrite: 1n, output: 3n },
  ...over,
});
const rows = (c: FocusCharge) => focusRows(c, ctx).map((r) => Object.fromEntries(FOCUS_COLUMNS.map((col, i) => [col, String(r[i])])));

/** a × b as exact decimals (strings), compared to c. */
function productEquals(a: string, b: string, c: string): boolean {
  const scale = (s: string) => {
    const [w, f = ''] = s.split('.');
    return { v: BigInt(w + f), e: f.length };
  };
  const x = scale(a);
  const y = scale(b);
  const z = scale(c);
  const e = Math.max(x.e + y.e, z.e);
  return x.v * y.v * 10n ** BigInt(e - x.e - y.e) === z.v * 10n ** BigInt(e - z.e);
}

describe('FOCUS rows', () => {
  it('one row per SKU: input, cached input, cache write, output — priced per 1M tokens', () => {
    const r = rows(charge());
    expect(r.map((x) => x.SkuId)).toEqual([
      'anthropic/claude-sonnet-4-5/input',
      'anthropic/claude-sonnet-4-5/cached-input',
      'anthropic/claude-sonnet-4-5/cache-write',
      'anthropic/claude-sonnet-4-5/output',
    ]);
    expect(r.map((x) => [x.PricingQuantity, x.PricingUnit, x.ListUnitPrice, x.ListCost])).toEqual([
      ['0.001', '1000000 Tokens', '3.0', '0.003'],
      ['0.002', '1000000 Tokens', '0.3', '0.0006'],
      ['0.0015', '1000000 Tokens', '3.75', '0.005625'],
      ['0.0007', '1000000 Tokens', '15.0', '0.0105'],
    ]);
    for (const x of r) {
      expect(productEquals(x.ListUnitPrice!, x.PricingQuantity!, x.ListCost!)).toBe(true);
      expect(x.ContractedCost).toBe(x.ListCost);
      expect(x.SkuPriceId).toBe(`${x.SkuId}@standard`);
      expect(x.ChargePeriodStart).toBe('2026-03-05T00:00:00Z');
      expect(x.BillingPeriodEnd).toBe('2026-04-01T00:00:00Z');
      expect(x.ChargeClass).toBe('');
      expect(x.ServiceSubcategory).toBe('Generative AI');
      expect(x.InvoiceId).toBe('STIPEND-2026-03-anthropic');
      expect(JSON.parse(x.Tags!)).toEqual({ 'stipend/team': 'acme/engineering', 'stipend/costCenter': 'CC-ENG-001', 'stipend/user': 'ada@acme.example' });
    }
    expect(r.map((x) => x.x_Requests)).toEqual(['3', '1', '1', '3']);
    // Charged at list price: BilledCost is each SKU's list cost.
    expect(r.map((x) => x.BilledCost)).toEqual(['0.003000000', '0.000600000', '0.005625000', '0.010500000']);
    // A charge above list (each request rounds up to the nano-dollar) is shared in proportion to list cost, exactly.
    const up = rows(charge({ costNanos: 19_725_003n }));
    expect(up.reduce((s, x) => s + BigInt(x.BilledCost!.replace('.', '')), 0n)).toBe(19_725_003n);
    expect(up.map((x) => x.BilledCost)).toEqual(['0.003000000', '0.000600000', '0.005625001', '0.010500002']);
  });

  it('long-context tier, corrections, unpriced models and rows without usage', () => {
    const long = rows(charge({ provider: 'google', model: 'gemini-2.5-pro', longContext: true, tokens: { input: 300_000n, cachedInput: 0n, cacheWrite: 0n, output: 10n }, costNanos: 750_150_000n }));
    expect(long.map((x) => [x.SkuPriceId, x.ListUnitPrice])).toEqual([
      ['google/gemini-2.5-pro/input@long-context', '2.5'],
      ['google/gemini-2.5-pro/output@long-context', '15.0'],
    ]);
    expect(rows(charge({ late: true })).every((x) => x.ChargeClass === 'Correction')).toBe(true);
    const unpriced = rows(charge({ provider: 'openai', model: 'gpt-unlisted', pricingStatus: 'unpriced', costNanos: 0n }));
    expect(unpriced.every((x) => x.ListUnitPrice === '0.0' && x.BilledCost === '0.000000000' && x.SkuPriceId!.endsWith('@unpriced'))).toBe(true);
    const noUsage = rows(charge({ pricingStatus: 'usage_missing', costNanos: 0n, requests: 2n, tokens: { input: 0n, cachedInput: 0n, cacheWrite: 0n, output: 0n } }));
    expect(noUsage.map((x) => [x.SkuId, x.PricingQuantity, x.PricingUnit, x.x_Requests])).toEqual([['anthropic/claude-sonnet-4-5/requests', '2.0', 'Requests', '2']]);
  });

  it('names the invoice issuer, service provider and host (the cloud) apart from the publisher (the maker)', () => {
    const who = (over: Partial<FocusCharge>, c = ctx) => {
      const r = focusRows(charge(over), c).map((x) => Object.fromEntries(FOCUS_COLUMNS.map((col, i) => [col, String(x[i])])))[0]!;
      return [r.InvoiceIssuerName, r.ProviderName, r.ServiceProviderName, r.HostProviderName, r.PublisherName, r.ServiceName, r.InvoiceId, r.x_Upstream];
    };
    // A maker's own API, and a row written before migration 0018: the maker in every role.
    expect(who({})).toEqual(['Anthropic', 'Anthropic', 'Anthropic', 'Anthropic', 'Anthropic', 'Anthropic API', 'STIPEND-2026-03-anthropic', '']);
    expect(who({ platform: 'anthropic', upstream: 'anthropic' })).toEqual(['Anthropic', 'Anthropic', 'Anthropic', 'Anthropic', 'Anthropic', 'Anthropic API', 'STIPEND-2026-03-anthropic', 'anthropic']);
    expect(who({ platform: 'bedrock', upstream: 'bedrock-us-east-1' })).toEqual(['AWS', 'AWS', 'AWS', 'AWS', 'Anthropic', 'Amazon Bedrock', 'STIPEND-2026-03-aws', 'bedrock-us-east-1']);
    expect(who({ platform: 'vertex-ai', upstream: 'vertex-claude' })).toEqual(['Google', 'Google', 'Google', 'Google', 'Anthropic', 'Vertex AI', 'STIPEND-2026-03-google', 'vertex-claude']);
    expect(who({ provider: 'openai', model: 'gpt-4o', platform: 'azure-openai', upstream: 'azure-eu' })).toEqual([
      'Microsoft', 'Microsoft', 'Microsoft', 'Microsoft', 'OpenAI', 'Azure OpenAI', 'STIPEND-2026-03-microsoft', 'azure-eu',
    ]);
    // Bought through a reseller: the reseller invoices; Microsoft still provides and hosts the service.
    const resold = { ...ctx, names: { crayon: 'Crayon', microsoft: 'Microsoft Corporation' }, invoicedBy: { 'azure-eu': 'crayon' } };
    expect(who({ provider: 'openai', model: 'gpt-4o', platform: 'azure-openai', upstream: 'azure-eu' }, resold)).toEqual([
      'Crayon', 'Microsoft Corporation', 'Microsoft Corporation', 'Microsoft Corporation', 'OpenAI', 'Azure OpenAI', 'STIPEND-2026-03-crayon', 'azure-eu',
    ]);
  });

  it('decimals and date-times as FOCUS reads them', () => {
    expect(scaledDecimal(1234n, 6)).toBe('0.001234');
    expect(scaledDecimal(2_000_000n, 6)).toBe('2.0'); // never an integer: the column is Decimal
    expect(scaledDecimal(0n, 9)).toBe('0.0');
    expect(focusDateTime(new Date('2026-03-05T04:30:00.000Z'))).toBe('2026-03-05T04:30:00Z');
  });
});
