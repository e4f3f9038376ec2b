import type { PolicyStore } from './policy-store.ts';
import type { Catalog, PricedModel } from '../pricing/catalog.ts';
import { priceOn } from '../pricing/platform-price.ts';
import type { PersonPolicy } from '../policy/compile-policy.ts';
import type { Router } from './upstreams/router.ts';

export interface CallableModelsDeps {
  readonly policy: PolicyStore;
  readonly catalog: Catalog;
  readonly router: Router;
  readonly blockUnpriced: boolean;
}

/**
 * The catalog's models this person may call: their policy allows the model, some upstream
 * serves it, and (unless unpriced models are let through) it has a price where it is served.
 */
export function callableModels(deps: CallableModelsDeps, person: PersonPolicy): PricedModel[] {
  return deps.catalog.list().filter((m) => {
    const resolved = deps.catalog.resolve(`${m.provider}/${m.model}`);
    if (!resolved || !person.isAllowed(resolved.family)) return false;
    const served = deps.router.servedBy(resolved);
    if (!served) return false;
    return !deps.blockUnpriced || priceOn(deps.catalog, resolved, served.upstream.priceScope(served.modelId)) !== null;
  });
}
