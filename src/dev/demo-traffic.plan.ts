// What `stipend dev --demo-traffic` sends: a month of requests shaped like a company's
// (workdays busier than weekends, office hours, a model mix per person, agentic coding
// sessions with long cached contexts). Pure and seeded: the same inputs give the same month.

export interface DemoPerson {
  readonly email: string;
  /** Whether the person's policy allows `provider/model`. */
  readonly allows: (qualifiedModel: string) => boolean;
}

export interface DemoRequest {
  readonly at: Date;
  readonly email: string;
  /** As a client names it (the catalog resolves it). */
  readonly model: string;
  readonly wire: 'openai' | 'anthropic';
  readonly stream: boolean;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly maxTokens: number;
}

interface ModelChoice {
  readonly qualified: string;
  readonly weight: number;
  readonly wire: 'openai' | 'anthropic';
  /** Output cap sent with the request: well above what the demo asks for, so the reservation covers it. */
  readonly maxTokens: number;
  readonly contextTokens: number;
}

// Coding assistants lean on Claude Sonnet; chat and quick edits on the small models.
const MODELS: readonly ModelChoice[] = [
  { qualified: 'anthropic/claude-sonnet-4-5', weight: 6, wire: 'anthropic', maxTokens: 16_000, contextTokens: 180_000 },
  { qualified: 'anthropic/claude-opus-4-5', weight: 1, wire: 'anthropic', maxTokens: 16_000, contextTokens: 180_000 },
  { qualified: 'anthropic/claude-haiku-4-5', weight: 2, wire: 'anthropic', maxTokens: 8_000, contextTokens: 150_000 },
  { qualified: 'openai/gpt-5', weight: 2, wire: 'openai', maxTokens: 16_000, contextTokens: 200_000 },
  { qualified: 'openai/gpt-4o', weight: 3, wire: 'openai', maxTokens: 8_000, contextTokens: 100_000 },
  { qualified: 'openai/gpt-4o-mini', weight: 4, wire: 'openai', maxTokens: 8_000, contextTokens: 100_000 },
  { qualified: 'google/gemini-2.5-pro', weight: 1, wire: 'openai', maxTokens: 16_000, contextTokens: 200_000 },
];

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

/** Requests from `from` to `to`, ordered by time. `perWorkday` is the average per person. */
export function planDemoTraffic(people: readonly DemoPerson[], from: Date, to: Date, perWorkday = 16, seed = 2026): DemoRequest[] {
  const requests: DemoRequest[] = [];
  for (const person of people) {
    const models = MODELS.filter((m) => person.allows(m.qualified));
    if (models.length === 0) continue;
    const random = seededRandom(seed ^ hash(person.email));
    const intensity = 0.5 + random(); // some people use AI twice as much as others
    for (let day = Math.floor(from.getTime() / DAY) * DAY; day < to.getTime(); day += DAY) {
      const weekday = new Date(day).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const count = Math.round(perWorkday * intensity * (weekend ? 0.08 : 0.6 + 0.8 * random()));
      for (let i = 0; i < count; i++) {
        // Office hours 13:00–23:00 UTC (morning to evening across US time zones), a few at night.
        const hour = random() < 0.9 ? 13 + random() * 10 : random() * 24;
        const at = new Date(day + hour * HOUR + random() * HOUR);
        if (at < from || at >= to) continue;
        const model = pick(models, random());
        // Agentic sessions resend a long, mostly cached context and write a modest answer.
        const heavy = random() < 0.15;
        const cachedTokens = Math.round(model.contextTokens * (heavy ? 0.6 + 0.35 * random() : 0.15 + 0.5 * random()));
        const outputTokens = Math.round(heavy ? 3_000 + random() * 9_000 : 200 + random() * 1_800);
        requests.push({
          at,
          email: person.email,
          model: model.qualified.split('/')[1]!,
          wire: model.wire,
          stream: random() < 0.2,
          outputTokens,
          cachedTokens,
          maxTokens: model.maxTokens,
        });
      }
    }
  }
  return requests.sort((a, b) => a.at.getTime() - b.at.getTime());
}
