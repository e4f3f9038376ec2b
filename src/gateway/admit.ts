import { periodWindow } from '../ledger/period.ts';
import type { Reserver } from '../ledger/reservation-batcher.ts';
import type { WalletBalance, WalletClaim } from '../ledger/reserve.ts';
import type { Catalog } from '../pricing/catalog.ts';
import { priceOn } from '../pricing/platform-price.ts';
import { inputTokenBound, outputTokenCap } from '../pricing/estimate.ts';
import { boundInputTokens, worstCaseWithTools } from '../pricing/request-bound.ts';
import { formatUsd } from '../pricing/money.ts';
import type { PersonPolicy } from '../policy/compile-policy.ts';
import { GatewayError } from './errors.ts';
import { requestReach, type RequestReach } from './input-reach.ts';
import { rateLimitedError, type RateLimiter } from './rate-limiter.ts';
import type { RequestContext } from './request-context.ts';
import type { RouteResult, Router } from './upstreams/router.ts';
import type { Upstream } from './upstreams/upstream.ts';

export type ProviderName = 'openai' | 'anthropic' | 'google';

export interface AdmitDeps {
  readonly reserve: Reserver;
  readonly rateLimiter: RateLimiter;
  readonly catalog: Catalog;
  /** Where each model is served from (src/gateway/upstreams/router.ts). */
  readonly router: Router;
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
  /** The model, priced where it is served. */
  readonly resolved: NonNullable<ReturnType<Catalog['resolve']>>;
  readonly upstream: Upstream;
  /** The id the upstream serves the model under (an Azure deployment, a Bedrock model id…). */
  readonly modelId: string;
  readonly stream: boolean;
  /** What the request reaches beyond its body: referenced input, server-side tools and their fees. */
  readonly reach: RequestReach;
  readonly estimateNanos: bigint;
  readonly budgetHeaders: Readonly<Record<string, string>>;
}

/**
 * Steps 2 and 3 of the request path: the model allowlist (403, before any
 * reservation), then the worst-case reservation on every wallet that applies (402).
 */
export async function admit(deps: AdmitDeps, request: RequestContext): Promise<Admission> {
  const { id: requestId, person, spec, facts, bodyBytes, imageCount, body } = request;
  const resolved = deps.catalog.resolve(facts.model);
  if (!resolved) throw new GatewayError('model_not_found', `The model '${facts.model}' does not exist or is not known to this gateway.`, { param: 'model' });
  const provider = resolved.provider as ProviderName;
  const qualified = `${provider}/${resolved.model}`;
  if (spec.wire === 'anthropic' && provider !== 'anthropic') {
    throw new GatewayError('invalid_request', `The model '${qualified}' is not served on ${spec.route}.`, { param: 'model' });
  }
  if (spec.wire === 'gemini' && provider !== 'google') {
    throw new GatewayError('invalid_request', `The model '${qualified}' is not a Gemini model; call it on /v1/chat/completions or /v1/messages.`, { param: 'model' });
  }
  if (person.budgets.length === 0) {
    // Fail closed: spend nobody budgeted for is spend nobody can account for. Checked before the
    // allowlist: someone outside every team and budget (a joiner not yet placed) is told what
    // is missing — a budget — not that one model is refused.
    throw new GatewayError(
      'budget_exceeded',
      person.serviceAccount
        ? `No budget applies to the service account '${person.serviceAccount.name}': service keys spend from their team's Shared budgets. Ask your platform team for one.`
        : 'No budget applies to you, so no spend is allowed. Ask your platform team for a Budget.',
    );
  }
  if (!person.isAllowed(resolved.family)) {
    throw new GatewayError('model_not_allowed', `Your policy does not allow the model '${qualified}'.`, { param: 'model' });
  }
  // Where it is served decides what it costs: a platform may price it differently, or not at all.
  const routed = deps.router.route(resolved, spec.endpoint);
  if (!routed.ok) throw unroutable(routed, provider, qualified, spec.route);
  const where = routed.upstream.priceScope(routed.modelId);
  const priced = { ...resolved, price: priceOn(deps.catalog, resolved, where) };
  if (!priced.price && deps.blockUnpriced) {
    const on = where ? ` on ${where.platform} (${where.scope}), where the upstream '${routed.upstream.name}' serves it,` : '';
    throw new GatewayError('model_unpriced', `The model '${qualified}' has no price in the catalog${on} so its cost cannot be reserved.`, { param: 'model' });
  }
  // Input outside the body and server-side tools: bounded (below) or refused before any reservation.
  const reached = requestReach(spec.endpoint, body, priced);
  if (!reached.ok) throw new GatewayError('invalid_request', reached.message, { param: reached.param });
  const reach = reached.reach;
  const inputBound = priced.price
    ? boundInputTokens(
        { bodyTokens: inputTokenBound(bodyBytes, imageCount), readsOutsideBody: reach.outside !== null, serverToolCalls: reach.serverToolCalls },
        priced.price.contextWindow,
      )
    : null;
  if (inputBound && !inputBound.ok) {
    const what = reach.outside ?? 'the results of server-side tools';
    throw new GatewayError('invalid_request', `This request makes the provider read input outside its body (${what}), and the model '${qualified}' has no context window in the catalog to bound its cost. Send the content in the request itself, or ask your platform team to add the model's context window.`);
  }
  // Rate limits are counted in Postgres with the reservation; this only repeats a refusal it made.
  const rate = deps.rateLimiter.admit(person.personId, person.rateLimits);
  if (!rate.allowed) throw rateLimitedError(rate, person.rateLimits);

  const now = deps.clock?.() ?? new Date();
  const claims: WalletClaim[] = person.budgets.map((b) => {
    const window = periodWindow(b.period, b.timeZone, now);
    return { budgetId: b.budgetId, owner: b.owner, periodStart: window.start, periodEnd: window.end, limitNanos: b.limitNanos, hard: b.hard };
  });
  const estimateNanos =
    priced.price && inputBound?.ok
      ? worstCaseWithTools(
          priced.price,
          inputBound.tokens,
          facts.outputCap === 0 ? 0 : outputTokenCap(facts.outputCap ?? undefined, priced.price.maxOutputTokens) * facts.choices,
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
      upstream: routed.upstream.name,
      platform: routed.upstream.kind,
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
      { headers: budgetHeaders },
    );
  }
  return {
    requestId,
    person,
    provider,
    model: resolved.model,
    resolved: priced,
    upstream: routed.upstream,
    modelId: routed.modelId,
    stream: facts.stream,
    reach,
    estimateNanos,
    budgetHeaders,
  };
}

/** Why no upstream takes the request: nothing configured for the model (503), or not on this route (400). */
function unroutable(result: Exclude<RouteResult, { ok: true }>, provider: string, qualified: string, route: string): GatewayError {
  if (result.reason === 'unrouted') return new GatewayError('provider_not_configured', `The provider '${provider}' is not configured on this gateway.`);
  const { name, kind } = result.upstream;
  if (result.reason === 'operation') {
    return new GatewayError('invalid_request', `The model '${qualified}' is served through the upstream '${name}' (${kind}), which does not take it on ${route}.`, { param: 'model' });
  }
  return new GatewayError('provider_not_configured', `The upstream '${name}' (${kind}) has no model id configured for '${qualified}'.`);
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
