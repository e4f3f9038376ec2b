// FOCUS 1.2 cost and usage CSV (with the FOCUS 1.3 provider columns): one row per charge and
// SKU — a local day, team, person, provider, model and pricing status, split into the token
// kinds the providers price separately (input, cached input, cache write, output), each with
// its list unit price per 1M tokens. ListCost = ListUnitPrice × PricingQuantity exactly;
// BilledCost is the ledger's charge, shared over the SKUs in proportion to their list cost, so
// it sums to the ledger to the nano-dollar. Late rows of closed months are corrections
// (ChargeClass "Correction") in the month that books them. Who is named: the invoicing vendor
// is InvoiceIssuerName, the company that served the call ProviderName/ServiceProviderName/
// HostProviderName (AWS for Claude on Bedrock), the model's maker PublisherName (docs/exports.md).
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { fillRates, type Rates } from '../../pricing/cost.ts';
import type { Catalog } from '../../pricing/catalog.ts';
import { formatNanos } from '../../pricing/money.ts';
import { bookedEvents, type BookScope } from '../books/booked-events.ts';
import { toCsv } from '../csv.ts';
import type { MonthWindow } from '../month-window.ts';
import { invoicingVendorId, serviceName, serviceProviderId, vendorDisplayName, type ServedBy } from '../invoicing-vendor.ts';
import type { ExportConfig } from './export-config.schema.ts';

export const FOCUS_MANDATORY = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost',
  'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
  'ServiceCategory', 'ServiceName',
] as const;

export const FOCUS_COLUMNS = [
  ...FOCUS_MANDATORY,
  'ChargeFrequency', 'CommitmentDiscountStatus', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedUnitPrice', 'InvoiceId', 'ListUnitPrice',
  'PricingCategory', 'PricingCurrency', 'PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice',
  'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags',
  // FOCUS 1.3 names for the provider roles (ProviderName and PublisherName there become these).
  'ServiceProviderName', 'HostProviderName',
  'x_CostCenter', 'x_UserEmail', 'x_Model', 'x_PricingStatus', 'x_TokenType', 'x_Tokens', 'x_Requests', 'x_Upstream',
] as const;

export const TOKEN_KINDS = ['input', 'cachedInput', 'cacheWrite', 'output'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

const METER: Readonly<Record<TokenKind, string>> = {
  input: 'Input Tokens',
  cachedInput: 'Cached Input Tokens',
  cacheWrite: 'Cache Write Tokens',
  output: 'Output Tokens',
};
const SKU_PART: Readonly<Record<TokenKind, string>> = { input: 'input', cachedInput: 'cached-input', cacheWrite: 'cache-write', output: 'output' };

/** One charge before its split into SKUs: what the ledger rows of a day and key add up to. */
export interface FocusCharge extends ServedBy {
  readonly late: boolean;
  readonly dayStart: Date;
  readonly dayEnd: Date;
  readonly team: string | null;
  readonly teamName: string | null;
  readonly costCenter: string | null;
  readonly email: string | null;
  readonly model: string;
  readonly pricingStatus: string;
  readonly longContext: boolean;
  readonly requests: bigint;
  /** Counted cost: 0 for unpriced and usage-missing rows. */
  readonly costNanos: bigint;
  readonly tokens: Readonly<Record<TokenKind, bigint>>;
  /** Requests that used each token kind. */
  readonly requestsWith: Readonly<Record<TokenKind, bigint>>;
}

export interface FocusContext {
  readonly billing: MonthWindow;
  readonly billingAccountId: string;
  readonly billingAccountName: string;
  /** Display names per vendor or maker id (the GL mapping's `vendors`). */
  readonly names: Readonly<Record<string, string>>;
  /** Upstreams invoiced by a reseller (the GL mapping's `invoicedBy`). */
  readonly invoicedBy: Readonly<Record<string, string>>;
  /** Per-1M-token rates in nano-dollars for the charge's tier; null when the catalog has no price. */
  readonly rates: (provider: string, model: string, longContext: boolean) => Rates | null;
}

/** "YYYY-MM-DDTHH:mm:ssZ": FOCUS date/time format, no fractional seconds. */
export function focusDateTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** An exact decimal of value × 10^-scale, trailing zeros trimmed but at least one decimal (read as a Decimal, not an integer). */
export function scaledDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '') || '0';
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

const RATE_OF: Readonly<Record<TokenKind, keyof Rates>> = { input: 'input', cachedInput: 'cachedInput', cacheWrite: 'cacheWrite5m', output: 'output' };

/** Shares `total` over weights by largest remainder (ties: first); all-zero weights → all to the first. */
function share(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const parts = weights.map((w) => (total * w) / sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = weights.map((w, i) => ({ i, r: (total * w) % sum })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts;
}

/** The FOCUS rows of one charge (pure: what the unit test checks). */
export function focusRows(c: FocusCharge, ctx: FocusContext): (string | bigint)[][] {
  const invoicer = invoicingVendorId(c, ctx.invoicedBy);
  const serviceProvider = vendorDisplayName(serviceProviderId(c), ctx.names);
  const rates = ctx.rates(c.provider, c.model, c.longContext);
  const tier = rates === null ? 'unpriced' : c.longContext ? 'long-context' : 'standard';
  const kinds = TOKEN_KINDS.filter((k) => c.tokens[k] > 0n);
  const skus = kinds.map((k) => {
    const rate = rates ? rates[RATE_OF[k]] : 0n; // nano-dollars per 1M tokens
    return { kind: k as TokenKind | 'requests', quantity: c.tokens[k], rate, listCost: c.tokens[k] * rate, requests: c.requestsWith[k] };
  });
  // A charge without tokens (a response that reported no usage) stays visible as requests.
  if (skus.length === 0) skus.push({ kind: 'requests', quantity: c.requests, rate: 0n, listCost: 0n, requests: c.requests });
  const listCosts = skus.map((s) => s.listCost);
  const billed = share(c.costNanos, listCosts.some((x) => x > 0n) ? listCosts : skus.map((s) => s.quantity));
  const base = {
    BillingAccountId: ctx.billingAccountId,
    BillingAccountName: ctx.billingAccountName,
    BillingCurrency: 'USD',
    BillingPeriodEnd: focusDateTime(ctx.billing.end),
    BillingPeriodStart: focusDateTime(ctx.billing.start),
    ChargeCategory: 'Usage',
    ChargeClass: c.late ? 'Correction' : '',
    ChargePeriodEnd: focusDateTime(c.dayEnd),
    ChargePeriodStart: focusDateTime(c.dayStart),
    InvoiceIssuerName: vendorDisplayName(invoicer, ctx.names),
    // FOCUS 1.2: the provider made the service available; the publisher produced it.
    ProviderName: serviceProvider,
    PublisherName: vendorDisplayName(c.provider, ctx.names),
    ServiceCategory: 'AI and Machine Learning',
    ServiceName: serviceName(c, ctx.names),
    ChargeFrequency: 'Usage-Based',
    // The provisional invoice: Stipend's accrual for this vendor and booking month (the journals' credit
    // per invoicing vendor). The vendor's own invoice number is not known to Stipend.
    InvoiceId: `STIPEND-${ctx.billing.month}-${invoicer}`,
    CommitmentDiscountStatus: '',
    PricingCurrency: 'USD',
    PricingCategory: 'Standard',
    ServiceSubcategory: 'Generative AI',
    SubAccountId: c.team ?? '',
    SubAccountName: c.team === null ? '' : (c.teamName ?? c.team),
    Tags: JSON.stringify({ 'stipend/team': c.team, 'stipend/costCenter': c.costCenter, 'stipend/user': c.email }),
    // FOCUS 1.3: the service provider replaces ProviderName; the host provider is whose resources
    // serve it — the cloud for cloud-served models, and for a maker's own API (where the customer
    // cannot see or choose the host) the service provider itself.
    ServiceProviderName: serviceProvider,
    HostProviderName: serviceProvider,
    x_CostCenter: c.costCenter ?? '',
    x_UserEmail: c.email ?? '',
    x_Model: c.model,
    x_PricingStatus: c.pricingStatus,
    x_Upstream: c.upstream ?? '',
  };
  return skus.map((s, i) => {
    const isTokens = s.kind !== 'requests';
    const skuId = `${c.provider}/${c.model}/${isTokens ? SKU_PART[s.kind as TokenKind] : 'requests'}`;
    const billedCost = formatNanos(billed[i]!);
    // Per 1M tokens, as the providers publish prices: quantity in millions, price per million.
    const quantity = isTokens ? scaledDecimal(s.quantity, 6) : scaledDecimal(s.quantity, 0);
    const unitPrice = scaledDecimal(s.rate, 9);
    const listCost = scaledDecimal(s.listCost, 15);
    const row: Record<(typeof FOCUS_COLUMNS)[number], string | bigint> = {
      ...base,
      BilledCost: billedCost,
      EffectiveCost: billedCost,
      ListCost: listCost,
      ContractedCost: listCost,
      ChargeDescription: isTokens ? `${c.model} ${METER[s.kind as TokenKind].toLowerCase()}${c.longContext ? ' (long context)' : ''}` : `${c.model} requests without reported usage`,
      PricingQuantity: quantity,
      PricingUnit: isTokens ? '1000000 Tokens' : 'Requests',
      ConsumedQuantity: quantity,
      ConsumedUnit: isTokens ? '1000000 Tokens' : 'Requests',
      ListUnitPrice: unitPrice,
      ContractedUnitPrice: unitPrice,
      // Prices are in the billing currency: the pricing-currency columns repeat them.
      PricingCurrencyListUnitPrice: unitPrice,
      PricingCurrencyContractedUnitPrice: unitPrice,
      PricingCurrencyEffectiveCost: billedCost,
      SkuId: skuId,
      SkuMeter: isTokens ? METER[s.kind as TokenKind] : 'Requests',
      SkuPriceId: `${skuId}@${tier}`,
      SkuPriceDetails: JSON.stringify({ x_PriceTier: tier, x_TokenType: isTokens ? SKU_PART[s.kind as TokenKind] : null }),
      x_TokenType: isTokens ? SKU_PART[s.kind as TokenKind] : 'requests',
      x_Tokens: isTokens ? s.quantity : 0n,
      x_Requests: s.requests,
    };
    return FOCUS_COLUMNS.map((col) => row[col]);
  });
}

interface ChargeRow {
  late: boolean;
  day_start: Date;
  day_end: Date;
  team: string | null;
  cost_center: string | null;
  email: string | null;
  provider: string;
  platform: string | null;
  upstream: string | null;
  model: string;
  pricing_status: string;
  long_context: boolean;
  requests: bigint;
  cost: bigint;
  input: bigint;
  cached_input: bigint;
  cache_write: bigint;
  output: bigint;
  n_input: bigint;
  n_cached_input: bigint;
  n_cache_write: bigint;
  n_output: bigint;
}

/** Models with a long-context tier, as SQL VALUES (provider, model, threshold). */
function longContextThresholds(catalog: Catalog) {
  const tiers = catalog.list().filter((e) => e.longContext);
  if (tiers.length === 0) return sql`(select null::text as provider, null::text as model, null::bigint as above where false)`;
  return sql`(values ${sql.join(tiers.map((e) => sql`(${e.provider}::text, ${e.model}::text, ${e.longContext!.aboveInputTokens}::bigint)`))}) as t(provider, model, above)`;
}

export async function focusCharges(db: Db, scope: BookScope, config: ExportConfig, teamNames: ReadonlyMap<string, string | null>): Promise<FocusCharge[]> {
  const tz = config.timeZone;
  const { rows } = await sql<ChargeRow>`
    select late, (d at time zone ${tz}) as day_start, ((d + interval '1 day') at time zone ${tz}) as day_end,
           team, cost_center, email, provider, platform, upstream, model, pricing_status, long_context, count(*) as requests,
           -- unpriced and usage_missing rows stay visible but cost nothing
           coalesce(sum(cost_nanos) filter (where pricing_status in ('priced', 'estimated')), 0)::bigint as cost,
           sum(input_tokens)::bigint as input, sum(cached_input_tokens)::bigint as cached_input,
           sum(cache_write_tokens)::bigint as cache_write, sum(output_tokens)::bigint as output,
           count(*) filter (where input_tokens > 0) as n_input, count(*) filter (where cached_input_tokens > 0) as n_cached_input,
           count(*) filter (where cache_write_tokens > 0) as n_cache_write, count(*) filter (where output_tokens > 0) as n_output
      from (select b.*, date_trunc('day', b.occurred_at at time zone ${tz}) as d,
                   coalesce(b.input_tokens::bigint + b.cached_input_tokens + b.cache_write_tokens > t.above, false) as long_context
              from ${bookedEvents(scope)} as b
              left join ${longContextThresholds(config.catalog)} on t.provider = b.provider and t.model = b.model) as e
     group by late, d, team, cost_center, email, provider, platform, upstream, model, pricing_status, long_context
     order by late, d, team nulls last, email nulls last, provider, platform nulls first, upstream nulls first, model, pricing_status, long_context`.execute(db);
  return rows.map((r) => ({
    late: r.late,
    dayStart: r.day_start,
    dayEnd: r.day_end,
    team: r.team,
    teamName: r.team === null ? null : (teamNames.get(r.team) ?? null),
    costCenter: r.cost_center,
    email: r.email,
    provider: r.provider,
    platform: r.platform,
    upstream: r.upstream,
    model: r.model,
    pricingStatus: r.pricing_status,
    longContext: r.long_context,
    requests: r.requests,
    costNanos: r.cost,
    tokens: { input: r.input, cachedInput: r.cached_input, cacheWrite: r.cache_write, output: r.output },
    requestsWith: { input: r.n_input, cachedInput: r.n_cached_input, cacheWrite: r.n_cache_write, output: r.n_output },
  }));
}

/** The rates the catalog lists today for a model and tier (null: not in the catalog). */
export function catalogRates(catalog: Catalog): FocusContext['rates'] {
  return (provider, model, longContext) => {
    const price = catalog.resolve(`${provider}/${model}`)?.price;
    if (!price) return null;
    return fillRates(longContext && price.longContext ? price.longContext : price);
  };
}

export function focusCsv(charges: readonly FocusCharge[], ctx: FocusContext): { csv: string; totalNanos: bigint; rows: number } {
  const rows = charges.flatMap((c) => focusRows(c, ctx));
  const totalNanos = charges.reduce((s, c) => s + c.costNanos, 0n);
  return { csv: toCsv(FOCUS_COLUMNS, rows), totalNanos, rows: rows.length };
}

