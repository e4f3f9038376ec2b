import { periodWindow } from '../ledger/period.ts';
import type { Reserver } from '../ledger/reservation-batcher.ts';
import type { WalletBalance, WalletClaim } from '../ledger/reserve.ts';
import type { Catalog } from '../pricing/catalog.ts';
import { inputTokenBound, outputTokenCap } from '../pricing/estimate.ts';
import { boundInputTokens, worstCaseWithTools } from '../pricing/request-bound.ts';
import { formatUsd } from '../pricing/money.ts';
import type { PersonPolicy } from '../policy/compile-policy.ts';
import type { EndpointSpec, RequestFacts } from './endpoints.ts';
import { GatewayError } from './errors.ts';
import { requestReach, type RequestReach } from './input-reach.ts';
import { rateLimitedError, type RateLimiter } from './rate-limiter.ts';
import type { ProviderName, Upstream } from './upstreams.ts';

export interface AdmitDeps {
  readonly reserve: Reserver;
  readonly rateLimiter: RateLimiter;
  readonly catalog: Catalog;
  readonly upstreams: ReadonlyMap<ProviderName, Upstream>;
  readonly blockUnpriced: boolean;
  readonly reservationTtlMs: number;
  /** Booking time: picks the budget period. Default: now. */
  readonly clock?: () => Date;
}

export interface Admission {
  readonly requestId: string;
  readonly person: PersonPolicy;
  readonly provider: ProviderName;
  readonly model: string;
  readonly resolved: NonNullable<ReturnType<Catalog['resolve']>>;
  readonly upstream: Upstream;
  /** What the request reaches beyond its body: referenced input, server-side tools and their fees. */
  readonly reach: RequestReach;
  readonly estimateNanos: bigint;
  readonly budgetHeaders: Readonly<Record<string, string>>;
}

/**
 * Steps 2 and 3 of the request path: the model allowlist (403, before any
 * reservation), then the worst-case reservation on every wallet that applies (402).
 */
export async function admit(
  deps: AdmitDeps,
  requestId: string,
  person: PersonPolicy,
  spec: EndpointSpec,
  facts: RequestFacts,
  bodyBytes: number,
  imageCount: number,
  body: Readonly<Record<string, unknown>> = {},
): Promise<Admission> {
  const resolved = deps.catalog.resolve(facts.model);
  if (!resolved) throw new GatewayError('model_not_found', `The model '${facts.model}' does not exist or is not known to this gateway.`, 'model');
  const provider = resolved.provider as ProviderName;
  const qualified = `${provider}/${resolved.model}`;
  if (spec.wire === 'anthropic' && provider !== 'anthropic') {
    throw new GatewayError('invalid_request', `The model '${qualified}' is not served on ${spec.route}.`, 'model');
  }
  if (!person.isAllowed(resolved.family)) {
    throw new GatewayError('model_not_allowed', `Your policy does not allow the model '${qualified}'.`, 'model');
  }
  if (!resolved.price && deps.blockUnpriced) {
    throw new GatewayError('model_unpriced', `The model '${qualified}' has no price in the catalog, so its cost cannot be reserved.`, 'model');
  }
  // Input outside the body and server-side tools: bounded (below) or refused before any reservation.
  const reached = requestReach(spec.endpoint, body, resolved);
  if (!reached.ok) throw new GatewayError('invalid_request', reached.message, reached.param);
  const reach = reached.reach;
  const inputBound = resolved.price
    ? boundInputTokens(
        { bodyTokens: inputTokenBound(bodyBytes, imageCount), readsOutsideBody: reach.outside !== null, serverToolCalls: reach.serverToolCalls },
        resolved.price.contextWindow,
      )
    : null;
  if (inputBound && !inputBound.ok) {
    const what = reach.outside ?? 'the results of server-side tools';
    throw new GatewayError('invalid_request', `This request makes the provider read input outside its body (${what}), and the model '${qualified}' has no context window in the catalog to bound its cost. Send the content in the request itself, or ask your platform team to add the model's context window.`);
  }
  const upstream = deps.upstreams.get(provider);
  if (!upstream || (spec.wire === 'anthropic' && !upstream.anthropicBaseUrl)) {
    throw new GatewayError('provider_not_configured', `The provider '${provider}' is not configured on this gateway.`);
  }
  // Rate limits are counted in Postgres with the reservation; this only repeats a refusal it made.
  const rate = deps.rateLimiter.admit(person.personId, person.rateLimits);
  if (!rate.allowed) throw rateLimitedError(rate, person.rateLimits);
  if (person.budgets.length === 0) {
    // Fail closed: spend nobody budgeted for is spend nobody can account for.
    throw new GatewayError(
      'budget_exceeded',
      person.serviceAccount
        ? `No budget applies to the service account '${person.serviceAccount.name}': service keys spend from their team's Shared budgets. Ask your platform team for one.`
        : 'No budget applies to you, so no spend is allowed. Ask your platform team for a Budget.',
    );
  }

  const now = deps.clock?.() ?? new Date();
  const claims: WalletClaim[] = person.budgets.map((b) => {
    const window = periodWindow(b.period, b.timeZone, now);
    return { budgetId: b.budgetId, owner: b.owner, periodStart: window.start, periodEnd: window.end, limitNanos: b.limitNanos, hard: b.hard };
  });
  const estimateNanos =
    resolved.price && inputBound?.ok
      ? worstCaseWithTools(
          resolved.price,
          inputBound.tokens,
          facts.outputCap === 0 ? 0 : outputTokenCap(facts.outputCap ?? undefined, resolved.price.maxOutputTokens) * facts.choices,
          reach.callFeesNanos + reach.fixedFeesNanos,
        )
      : 0n;

  const result = await deps.reserve({
    requestId,
    claims,
    estimateNanos,
    deadline: new Date(Date.now() + deps.reservationTtlMs), // real time: the sweeper's clock
    context: {
      ...ledgerActor(person),
      team: person.team?.key ?? null,
      cost_center: person.team?.costCenter ?? null,
      provider,
      model: resolved.model,
      endpoint: spec.endpoint,
      stream: facts.stream,
    },
    rate: { personId: person.personId, ...person.rateLimits },
  });
  if (result.rateLimited) {
    throw rateLimitedError(deps.rateLimiter.refused(person.personId, person.rateLimits, result.rateLimited), person.rateLimits);
  }
  const budgetHeaders = balanceHeaders(result.wallets);
  if (!result.ok) {
    throw new GatewayError(
      'budget_exceeded',
      `Budget exceeded: this request may cost up to $${formatUsd(estimateNanos, 6)} and your budget has $${budgetHeaders['x-stipend-budget-remaining'] ?? '0'} left this period.`,
      null,
      budgetHeaders,
    );
  }
  return { requestId, person, provider, model: resolved.model, resolved, upstream, reach, estimateNanos, budgetHeaders };
}

/** Who the ledger row names: the person, or (a service key) the key and its account. */
function ledgerActor(person: PersonPolicy) {
  const service = person.serviceAccount;
  if (!service) return { person_id: String(person.personId), email: person.email };
  return { person_id: null, email: null, api_key_id: String(service.apiKeyId), service_account: service.name };
}

/** The tightest hard wallet is what the caller can still spend, and when it resets. */
function balanceHeaders(wallets: readonly WalletBalance[]): Record<string, string> {
  const hard = wallets.filter((w) => w.hard);
  if (hard.length === 0) return {};
  const tightest = hard.reduce((a, b) => (b.remainingNanos < a.remainingNanos ? b : a));
  const remaining = tightest.remainingNanos < 0n ? 0n : tightest.remainingNanos;
  return { 'x-stipend-budget-remaining': formatUsd(remaining, 6), 'x-stipend-budget-reset': tightest.periodEnd.toISOString() };
}
