import type { PolicyStore } from '../gateway/policy-store.ts';
import type { Catalog } from '../pricing/catalog.ts';
import { costOf } from '../pricing/cost.ts';
import { inputTokenBound, worstCaseCost } from '../pricing/estimate.ts';
import { planDemoTraffic, seededRandom, type DemoRequest } from './demo-traffic.plan.ts';

/** A gateway started for the demo only, whose booking clock the runner sets before each request. */
export interface DemoGateway {
  readonly url: string;
  readonly policy: PolicyStore;
  close(): Promise<void>;
}

export interface DemoTrafficDeps {
  readonly startGateway: (clock: () => Date) => Promise<DemoGateway>;
  /** email → a working demo key */
  readonly keys: Readonly<Record<string, string>>;
  readonly catalog: Catalog;
  readonly now: Date;
  readonly days?: number;
  readonly perWorkday?: number;
}

export interface DemoTrafficResult {
  readonly from: Date;
  readonly to: Date;
  readonly requests: number;
  /** By HTTP status: 200s are charged, 402s were refused by a budget (as they would be). */
  readonly statuses: Readonly<Record<string, number>>;
}

const PROMPTS = [
  'Refactor the invoice parser to stream rows instead of loading the whole file.',
  'Why does this test fail only in CI? Here is the stack trace and the workflow file.',
  'Write a migration that adds a nullable cost_center column and backfills it.',
  'Summarize this customer thread and draft a reply that explains the refund policy.',
  'Review this pull request for race conditions in the reservation code.',
  'Turn these meeting notes into a one-page product brief with open questions.',
  'Suggest three names and a color palette for the onboarding screens.',
  'Explain the difference between these two SQL plans and which index helps.',
];

/**
 * Sends a month of requests through a real gateway (HTTP, key auth, allowlist, atomic
 * reservation, the mock provider, settlement): ordinary ledger rows, hash-chained as
 * any. Requests go one at a time so each is booked at its planned instant: the gateway
 * reads the clock when it reserves and when it charges, both before the response ends.
 */
export async function runDemoTraffic(deps: DemoTrafficDeps): Promise<DemoTrafficResult> {
  const to = deps.now;
  const from = new Date(to.getTime() - (deps.days ?? 30) * 86_400_000);
  let at = from;
  const gateway = await deps.startGateway(() => at);
  const statuses: Record<string, number> = {};
  let count = 0;
  try {
    const people = Object.keys(deps.keys).flatMap((email) => {
      const person = gateway.policy.current().byEmail.get(email);
      return person ? [{ email, allows: person.isAllowed }] : [];
    });
    const random = seededRandom(7);
    for (const planned of planDemoTraffic(people, from, to, deps.perWorkday)) {
      at = planned.at;
      const request = fitToReservation(planned, deps.catalog, PROMPTS[Math.floor(random() * PROMPTS.length)]!);
      const response = await fetch(`${gateway.url}${request.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${deps.keys[planned.email]}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: request.body,
      });
      await response.arrayBuffer(); // streams are read to the end, as a client would
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      count++;
    }
  } finally {
    await gateway.close(); // waits for the last settlements
  }
  return { from, to, requests: count, statuses };
}

/**
 * The request body for a planned request, with an output cap large enough that the
 * reservation covers what the mock will report (a demo of overages would be no demo);
 * a cached context too large for any cap is shortened.
 */
export function fitToReservation(r: DemoRequest, catalog: Catalog, prompt: string): { readonly path: string; readonly body: string } {
  const price = catalog.resolve(r.model)?.price;
  let cached = r.cachedTokens;
  let maxTokens = r.maxTokens;
  const build = () => {
    const text = `${prompt} mock:tokens=${r.outputTokens} mock:cached=${cached}`;
    const body =
      r.wire === 'anthropic'
        ? { model: r.model, max_tokens: maxTokens, stream: r.stream, messages: [{ role: 'user', content: text }] }
        : { model: r.model, max_completion_tokens: maxTokens, stream: r.stream, messages: [{ role: 'user', content: text }] };
    return { path: r.wire === 'anthropic' ? '/v1/messages' : '/v1/chat/completions', body: JSON.stringify(body) };
  };
  if (!price) return build();
  for (let i = 0; i < 40; i++) {
    const req = build();
    const bytes = Buffer.byteLength(req.body);
    const usage = { inputTokens: bytes, cachedInputTokens: cached, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: r.outputTokens + 64, reasoningTokens: 0 };
    if (costOf(price, usage) <= worstCaseCost(price, inputTokenBound(bytes, 0), maxTokens)) return req;
    if (maxTokens < price.maxOutputTokens) maxTokens = Math.min(price.maxOutputTokens, maxTokens * 2);
    else cached = Math.floor(cached / 2);
  }
  cached = 0;
  return build();
}
