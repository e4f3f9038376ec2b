// The price of a model where it is actually served. Direct provider APIs bill the
// catalog's price; a cloud platform bills its own: an operator's contract entry, a
// shipped platform entry, or a documented rule over the provider's price. Unknown: null
// (the model is then unpriced on that platform, and blocked by default).
import type { Catalog, PricedModel, ResolvedModel } from './catalog.ts';
import { parseCatalogEntries } from './catalog.ts';
import type { RateTier } from './catalog.schema.ts';
import { ceilDiv } from './money.ts';
import { PLATFORM_ENTRIES, PLATFORM_RULES, type Platform, type PlatformScope } from './platform-prices.data.ts';

export interface PlatformPricing {
  readonly platform: Platform;
  readonly scope: PlatformScope;
}

let shippedEntries: readonly PricedModel[] | undefined;
const shipped = (): readonly PricedModel[] => (shippedEntries ??= parseCatalogEntries(PLATFORM_ENTRIES));

/** An entry for this model on this platform: one for the exact scope wins over one for every scope. */
function entryFor(entries: readonly PricedModel[], resolved: ResolvedModel, where: PlatformPricing): PricedModel | undefined {
  const same = entries.filter((e) => e.provider === resolved.provider && e.model === resolved.model && e.platform === where.platform);
  return same.find((e) => e.scope === where.scope) ?? same.find((e) => e.scope === undefined);
}

const scale = (value: bigint | undefined, percent: bigint): bigint | undefined => (value === undefined ? undefined : ceilDiv(value * percent, 100n));

function scaleTier<T extends RateTier>(tier: T, percent: bigint): T {
  return {
    ...tier,
    input: scale(tier.input, percent)!,
    cachedInput: scale(tier.cachedInput, percent),
    cacheWrite5m: scale(tier.cacheWrite5m, percent),
    cacheWrite1h: scale(tier.cacheWrite1h, percent),
    output: scale(tier.output, percent),
  };
}

/** The price of `resolved` on a platform, or null when none is known. `where` null: at the provider. */
export function priceOn(catalog: Catalog, resolved: ResolvedModel, where: PlatformPricing | null): PricedModel | null {
  if (where === null) return resolved.price;
  const explicit = entryFor(catalog.platformEntries(), resolved, where) ?? entryFor(shipped(), resolved, where);
  if (explicit) return explicit;
  const rule = PLATFORM_RULES.find((r) => r.platform === where.platform && r.provider === resolved.provider && r.models.includes(resolved.model));
  const percent = rule?.percent[where.scope];
  if (!rule || percent === undefined || !resolved.price) return null;
  const base = resolved.price;
  return {
    ...scaleTier(base, percent),
    ...(base.longContext ? { longContext: scaleTier(base.longContext, percent) } : {}),
    platform: where.platform,
    scope: where.scope,
    source: rule.source,
    checkedOn: rule.checkedOn,
  };
}
