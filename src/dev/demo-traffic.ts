import type { PolicyStore } from '../gateway/policy-store.ts';
import type { Catalog } from '../pricing/catalog.ts';
import { costOf } from '../pricing/cost.ts';
import { inputTokenBound, worstCaseCost } from '../pricing/estimate.ts';
import type { PersonPolicy } from '../policy/person-policy.ts';
import { planDemoTraffic, seededRandom, type DemoPerson, type DemoRequest } from './demo-traffic.plan.ts';

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
  /** Requests a person may send on a busy workday (default 40, more for whoever the plan makes heavy; tests send fewer). */
  readonly maxPerWorkday?: number;
  /** Calls the provider received since the last ask: a refused request must have made none. */
  readonly takeProviderCalls?: () => number;
}

export interface DemoTrafficResult {
  readonly from: Date;
  readonly to: Date;
  readonly requests: number;
  /** By HTTP status: 200s are charged, 402s were refused by a budget (as they would be). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Per person, by HTTP status. */
  readonly byPerson: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Requests that reached the provider (when `takeProviderCalls` is given). */
  readonly providerCalls: number;
  /** Refused requests that reached the provider anyway (must be 0). */
  readonly refusedButCalled: number;
}

/** Refusals in a day after which a person stops for that day. */
const GIVE_UP_AFTER = 3;

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
  const byPerson: Record<string, Record<string, number>> = {};
  let count = 0;
  let providerCalls = 0;
  let refusedButCalled = 0;
  try {
    const people = Object.keys(deps.keys).flatMap((email) => {
      const person = gateway.policy.current().byEmail.get(email);
      return person ? [demoPerson(person)] : [];
    });
    const random = seededRandom(7);
    const price = (qualified: string) => deps.catalog.resolve(qualified)?.price ?? null;
    deps.takeProviderCalls?.();
    const refusedToday = new Map<string, { day: string; count: number }>();
    for (const planned of planDemoTraffic(people, from, to, price, deps.maxPerWorkday ? { maxPerWorkday: deps.maxPerWorkday } : {})) {
      // Someone refused a few times gives up for the day (and tries again tomorrow), as people do.
      const day = planned.at.toISOString().slice(0, 10);
      const refused = refusedToday.get(planned.email);
      if (refused?.day === day && refused.count >= GIVE_UP_AFTER) continue;
      at = planned.at;
      const request = fitToReservation(planned, deps.catalog, PROMPTS[Math.floor(random() * PROMPTS.length)]!);
      const response = await fetch(`${gateway.url}${request.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${deps.keys[planned.email]}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: request.body,
      });
      await response.arrayBuffer(); // streams are read to the end, as a client would
      const calls = deps.takeProviderCalls?.() ?? 0;
      providerCalls += calls;
      if (response.status === 402) {
        if (calls > 0) refusedButCalled++;
        refusedToday.set(planned.email, { day, count: refused?.day === day ? refused.count + 1 : 1 });
      }
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const mine = (byPerson[planned.email] ??= {});
      mine[response.status] = (mine[response.status] ?? 0) + 1;
      count++;
    }
  } finally {
    await gateway.close(); // waits for the last settlements
  }
  return { from, to, requests: count, statuses, byPerson, providerCalls, refusedButCalled };
}

const MONTHLY: Readonly<Record<string, number>> = { Monthly: 1, Weekly: 52 / 12, Daily: 365 / 12 };

/** A person as the plan sees them: their models, and what their own budgets give them a month. */
export function demoPerson(person: PersonPolicy): DemoPerson {
  const own = person.budgets
    .filter((b) => b.owner.startsWith('person:'))
    .map((b) => ({ monthly: BigInt(Math.round(Number(b.limitNanos) * (MONTHLY[b.period] ?? 1))), hard: b.hard }))
    .sort((a, b) => (a.monthly < b.monthly ? -1 : a.monthly > b.monthly ? 1 : Number(b.hard) - Number(a.hard)));
  const tightest = own[0];
  return { email: person.email, allows: person.isAllowed, monthlyAllowanceNanos: tightest?.monthly ?? null, soft: tightest ? !tightest.hard : false };
}

// Stands in for what an agent sends each turn (files it read, tool output). ASCII: the
// mock counts 4 bytes a token, so N tokens are 4N characters of it.
const MATERIAL = `export async function settleInvoices(rows: readonly Row[]): Promise<Summary> {
  const totals = new Map<string, bigint>();
  for (const row of rows) totals.set(row.account, (totals.get(row.account) ?? 0n) + row.amountNanos);
  return { accounts: totals.size, total: [...totals.values()].reduce((a, b) => a + b, 0n) };
}
 PASS  test/invoices.test.ts (42 tests) 1.31s
 FAIL  test/reservations.test.ts > refuses a request past the cap: expected 402, received 200
`;
const materialOf = (tokens: number): string => MATERIAL.repeat(Math.ceil((tokens * 4) / MATERIAL.length) + 1).slice(0, Math.max(0, tokens * 4));

/**
 * The request body for a planned request, with an output cap large enough that the
 * reservation covers what the mock will report (a demo of overages would be no demo);
 * cached context too large for any cap is shortened.
 */
export function fitToReservation(r: DemoRequest, catalog: Catalog, prompt: string): { readonly path: string; readonly body: string } {
  const price = catalog.resolve(r.model)?.price;
  let cached = r.cachedTokens;
  let written = r.wire === 'anthropic' ? r.cacheWriteTokens : 0;
  let maxTokens = r.maxTokens;
  const material = materialOf(r.freshTokens);
  const build = () => {
    const directives = [`mock:tokens=${r.outputTokens}`, `mock:cached=${cached}`, ...(written > 0 ? [`mock:cache-write=${written}`] : [])].join(' ');
    const messages = [{ role: 'user', content: `${prompt}\n\n${material}\n${directives}` }];
    const body =
      r.wire === 'anthropic'
        ? { model: r.model, max_tokens: maxTokens, stream: r.stream, messages }
        : { model: r.model, max_completion_tokens: maxTokens, stream: r.stream, messages };
    return { path: r.wire === 'anthropic' ? '/v1/messages' : '/v1/chat/completions', body: JSON.stringify(body) };
  };
  if (!price) return build();
  for (let i = 0; i < 40; i++) {
    const req = build();
    const bytes = Buffer.byteLength(req.body);
    const usage = { inputTokens: Math.ceil(bytes / 4) + 3, cachedInputTokens: cached, cacheWrite5mTokens: written, cacheWrite1hTokens: 0, outputTokens: r.outputTokens + 64, reasoningTokens: 0 };
    if (costOf(price, usage) <= worstCaseCost(price, inputTokenBound(bytes, 0), maxTokens)) return req;
    if (maxTokens < price.maxOutputTokens) maxTokens = Math.min(price.maxOutputTokens, maxTokens * 2);
    else {
      cached = Math.floor(cached / 2);
      written = Math.floor(written / 2);
    }
  }
  cached = 0;
  written = 0;
  return build();
}
