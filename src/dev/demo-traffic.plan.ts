// What `stipend dev --demo-traffic` sends: a month of requests shaped like a company's
// (workdays busier than weekends, office hours, a model mix per person, agentic coding
// turns on long contexts, quick chats), sized so that each person spends a realistic
// share of what their own budget gives them: most a seeded 30–60 % a month, whoever has a
// Soft allowance past 80 % of it by the 20th (an alert, never a refusal), and one heavy
// user past their Hard cap (the gateway refuses them from mid-month). A real month at
// these amounts is tens of thousands of agent turns; the demo sends a few thousand larger
// ones (more context rewritten to the cache per turn) so it finishes in about a minute.
// Pure and seeded: the same inputs give the same month.
import type { PricedModel } from '../pricing/catalog.schema.ts';
import { costOf, type Usage } from '../pricing/cost.ts';

export interface DemoPerson {
  readonly email: string;
  /** Whether the person's policy allows `provider/model`. */
  readonly allows: (qualifiedModel: string) => boolean;
  /** What the person's own (PerMember) budgets let them spend a month: the tightest one; null when none does. */
  readonly monthlyAllowanceNanos: bigint | null;
  /** That tightest allowance only alerts (Soft). */
  readonly soft: boolean;
}

export interface DemoRequest {
  readonly at: Date;
  readonly email: string;
  /** As a client names it (the catalog resolves it). */
  readonly model: string;
  readonly wire: 'openai' | 'anthropic';
  readonly stream: boolean;
  /** Fresh (uncached) input the request carries as text: new code, tool results, a thread. */
  readonly freshTokens: number;
  /** Context the provider has cached from the session's earlier turns (reported, not resent). */
  readonly cachedTokens: number;
  /** Context written to the cache on this turn (Anthropic only). */
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly maxTokens: number;
}

export interface DemoPlanOptions {
  /** Requests a person may send on an average workday (default 40); the heavy user up to three times, Soft allowances twice as many. */
  readonly maxPerWorkday?: number;
  readonly seed?: number;
}

interface ModelChoice {
  readonly qualified: string;
  readonly weight: number;
  readonly wire: 'openai' | 'anthropic';
  /** The model's output limit: sent as the request's cap, as coding agents do. */
  readonly maxTokens: number;
  /** The longest answer the demo asks for. */
  readonly longestAnswer: number;
  /** The most context one turn rewrites to the cache: what the reservation for `maxTokens` still covers. */
  readonly longestWrite: number;
  readonly contextTokens: number;
}

// Coding agents lean on Claude (long sessions on the 1M-token models); chat and quick
// edits on the small models.
const MODELS: readonly ModelChoice[] = [
  { qualified: 'anthropic/claude-sonnet-4-6', weight: 8, wire: 'anthropic', maxTokens: 128_000, longestAnswer: 6_000, longestWrite: 400_000, contextTokens: 950_000 },
  { qualified: 'anthropic/claude-opus-4-6', weight: 5, wire: 'anthropic', maxTokens: 128_000, longestAnswer: 6_000, longestWrite: 400_000, contextTokens: 950_000 },
  { qualified: 'anthropic/claude-haiku-4-5', weight: 1, wire: 'anthropic', maxTokens: 64_000, longestAnswer: 6_000, longestWrite: 150_000, contextTokens: 180_000 },
  { qualified: 'openai/gpt-5.4', weight: 2, wire: 'openai', maxTokens: 128_000, longestAnswer: 6_000, longestWrite: 0, contextTokens: 250_000 },
  { qualified: 'openai/gpt-4o', weight: 1, wire: 'openai', maxTokens: 16_384, longestAnswer: 6_000, longestWrite: 0, contextTokens: 50_000 },
  { qualified: 'openai/gpt-4o-mini', weight: 1, wire: 'openai', maxTokens: 16_384, longestAnswer: 6_000, longestWrite: 0, contextTokens: 100_000 },
  { qualified: 'google/gemini-2.5-pro', weight: 1, wire: 'openai', maxTokens: 65_536, longestAnswer: 6_000, longestWrite: 0, contextTokens: 180_000 },
];

/** Share of the monthly allowance a person spends over a whole month. */
const SOFT_PACE = 1.25; // past 80 % by the 20th: an alert, no refusal
const HEAVY_PACE = 1.9; // at the cap around the 15th: refused from then on
const PACE_MIN = 0.3;
const PACE_SPREAD = 0.3;
/** Whom no personal budget limits still spend like someone with this allowance. */
const NOMINAL_ALLOWANCE_NANOS = 300_000_000_000n;
/** A month of workdays, and the share of its fullest requests the average one reaches. */
const WORKDAYS_PER_MONTH = 22;
const TYPICAL_FILL = 0.5;
const MIN_PER_WORKDAY = 6;
const ORDINARY_PER_WORKDAY = 12;
/** How many more requests than others the heavy user, and whoever is on a Soft allowance, may send. */
const HEAVY_CAP = 3;
const SOFT_CAP = 2;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: a small, well-mixed 32-bit generator. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hash = (s: string): number => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16_777_619) >>> 0, 2_166_136_261);

function pick<T extends { readonly weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const i of items) if ((x -= i.weight) < 0) return i;
  return items[items.length - 1]!;
}

/**
 * A request before it is sized. At the person's fullest (scale 1) an agentic turn
 * rewrites `writeShare` of its context to the cache and writes its whole `fullAnswer`;
 * the plan scales both down to meet the person's target.
 */
interface Draft {
  readonly at: Date;
  readonly email: string;
  readonly model: ModelChoice;
  readonly stream: boolean;
  readonly freshTokens: number;
  readonly contextTokens: number;
  readonly writeShare: number;
  readonly fixedOutput: number;
  readonly fullAnswer: number;
}

function atScale(d: Draft, scale: number): DemoRequest {
  const written = Math.min(d.model.longestWrite, Math.round(d.contextTokens * d.writeShare * scale));
  return {
    at: d.at,
    email: d.email,
    model: d.model.qualified.split('/')[1]!,
    wire: d.model.wire,
    stream: d.stream,
    freshTokens: d.freshTokens,
    cachedTokens: d.contextTokens - written,
    cacheWriteTokens: written,
    outputTokens: d.fixedOutput + Math.round(d.fullAnswer * scale),
    maxTokens: d.model.maxTokens,
  };
}

const usageOf = (r: DemoRequest): Usage => ({
  inputTokens: r.freshTokens,
  cachedInputTokens: r.cachedTokens,
  cacheWrite5mTokens: r.cacheWriteTokens,
  cacheWrite1hTokens: 0,
  outputTokens: r.outputTokens,
  reasoningTokens: 0,
});

/** One request's shape: an agentic turn (most) or a quick chat (streamed, as chat UIs do). */
function draft(model: ModelChoice, at: Date, email: string, random: () => number): Draft {
  if (random() < 0.15) {
    return { at, email, model, stream: true, freshTokens: Math.round(200 + random() * 1_500), contextTokens: 0, writeShare: 0, fixedOutput: Math.round(150 + random() * 1_000), fullAnswer: 0 };
  }
  // An agentic turn resends the session's context (cached, or rewritten to the cache when
  // the agent reshuffled it), adds new material (files read, tool output) and answers
  // with code, a plan or a review.
  return {
    at,
    email,
    model,
    stream: false,
    freshTokens: Math.round(500 + random() * 2_500),
    contextTokens: Math.round(model.contextTokens * (0.25 + 0.75 * random())),
    writeShare: 0.5 + 0.5 * random(),
    fixedOutput: 200,
    fullAnswer: Math.round(model.longestAnswer * (0.2 + 0.8 * random() ** 0.7)),
  };
}

interface Sizing {
  readonly person: DemoPerson;
  readonly models: readonly ModelChoice[];
  readonly pace: number;
  readonly allowance: bigint;
  /** What a request at its fullest costs on average over the person's model mix, in nano-dollars. */
  readonly fullCost: number;
}

/**
 * Requests from `from` to `to`, ordered by time. `price` prices a `provider/model` (null:
 * unpriced, not used). Each person sends as many requests as their monthly target needs
 * at a typical request size (within `maxPerWorkday`), then the context their agent turns
 * rewrite to the cache and their answers are scaled so the planned spend meets the target
 * (never past a model's limits, so a person whose models are cheap falls short of it).
 */
export function planDemoTraffic(people: readonly DemoPerson[], from: Date, to: Date, price: (qualified: string) => PricedModel | null, options: DemoPlanOptions = {}): DemoRequest[] {
  const seed = options.seed ?? 2026;
  const maxPerWorkday = options.maxPerWorkday ?? 40;
  const sized: Sizing[] = [];
  for (const person of people) {
    const models = MODELS.filter((m) => person.allows(m.qualified) && price(m.qualified) !== null);
    if (models.length === 0) continue;
    const random = seededRandom(seed ^ hash(`pace:${person.email}`));
    const probe = seededRandom(seed ^ hash(`probe:${person.email}`));
    let fullCost = 0;
    for (let i = 0; i < 200; i++) {
      const d = draft(pick(models, probe()), from, person.email, probe);
      fullCost += Number(costOf(price(d.model.qualified)!, usageOf(atScale(d, 1)))) / 200;
    }
    sized.push({ person, models, pace: PACE_MIN + PACE_SPREAD * random(), allowance: person.monthlyAllowanceNanos ?? NOMINAL_ALLOWANCE_NANOS, fullCost });
  }
  const heavy = heavyUser(sized, maxPerWorkday);
  const requests: DemoRequest[] = [];
  for (const s of sized) {
    const pace = s.person.soft ? SOFT_PACE : s === heavy ? HEAVY_PACE : s.pace;
    const monthlyTarget = pace * Number(s.allowance);
    const cap = s === heavy ? HEAVY_CAP * maxPerWorkday : s.person.soft ? SOFT_CAP * maxPerWorkday : maxPerWorkday;
    const wanted = monthlyTarget / WORKDAYS_PER_MONTH / (TYPICAL_FILL * s.fullCost);
    // Whose models are too cheap to get near their target sends an ordinary day's worth: more would look no different.
    const reach = cap * WORKDAYS_PER_MONTH * s.fullCost;
    const perWorkday = reach < monthlyTarget / 2 ? Math.min(cap, ORDINARY_PER_WORKDAY) : Math.min(cap, Math.max(MIN_PER_WORKDAY, wanted));
    const drafts = draftsFor(s, from, to, perWorkday, seed);
    // The window holds `drafts.length` requests of a month's `perWorkday * 22`: its share of the target.
    const target = (monthlyTarget * drafts.length) / (perWorkday * WORKDAYS_PER_MONTH);
    let fixed = 0;
    let scalable = 0;
    for (const d of drafts) {
      const p = price(d.model.qualified)!;
      const base = Number(costOf(p, usageOf(atScale(d, 0))));
      fixed += base;
      scalable += Number(costOf(p, usageOf(atScale(d, 1)))) - base;
    }
    const scale = scalable > 0 ? Math.min(1, Math.max(0.02, (target - fixed) / scalable)) : 0;
    for (const d of drafts) requests.push(atScale(d, scale));
  }
  return requests.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.email < b.email ? -1 : 1));
}

/**
 * The person who runs into their Hard cap: of those on a Hard allowance whose models can
 * outspend it, the one with the smallest allowance (where a cap bites first in real life).
 */
function heavyUser(sized: readonly Sizing[], maxPerWorkday: number): Sizing | null {
  const able = sized.filter((s) => s.person.monthlyAllowanceNanos !== null && !s.person.soft && HEAVY_CAP * maxPerWorkday * WORKDAYS_PER_MONTH * s.fullCost >= HEAVY_PACE * Number(s.allowance));
  return able.reduce<Sizing | null>((min, s) => (min === null || s.allowance < min.allowance ? s : min), null);
}

function draftsFor(s: Sizing, from: Date, to: Date, perWorkday: number, seed: number): Draft[] {
  const random = seededRandom(seed ^ hash(s.person.email));
  const drafts: Draft[] = [];
  for (let day = Math.floor(from.getTime() / DAY) * DAY; day < to.getTime(); day += DAY) {
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const count = Math.round(perWorkday * (weekend ? 0.06 : 0.6 + 0.8 * random()));
    for (let i = 0; i < count; i++) {
      // Office hours 13:00–23:00 UTC (morning to evening across US time zones), a few at night.
      const hour = random() < 0.9 ? 13 + random() * 10 : random() * 24;
      const at = new Date(day + hour * HOUR + random() * HOUR);
      const d = draft(pick(s.models, random()), at, s.person.email, random);
      if (at >= from && at < to) drafts.push(d);
    }
  }
  return drafts;
}
