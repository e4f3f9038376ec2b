import type { MonthSummary, TeamSummary } from './month-summary.ts';

// The stored form of a summary: bigints as decimal strings, dates as ISO strings.
const big = (v: unknown): bigint => BigInt(String(v));

export function summaryToJson(s: MonthSummary): unknown {
  return JSON.parse(JSON.stringify(s, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

export function summaryFromJson(json: unknown): MonthSummary {
  const j = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    month: j.month,
    timeZone: j.timeZone,
    start: new Date(j.start),
    end: new Date(j.end),
    spentNanos: big(j.spentNanos),
    budgetNanos: big(j.budgetNanos),
    remainingNanos: big(j.remainingNanos),
    overage: { hardNanos: big(j.overage.hardNanos), softNanos: big(j.overage.softNanos) },
    activeEmployees: j.activeEmployees,
    requests: j.requests,
    teams: (j.teams as Record<string, any>[]).map( // eslint-disable-line @typescript-eslint/no-explicit-any
      (t): TeamSummary => ({ ...t, spentNanos: big(t.spentNanos), budgetNanos: big(t.budgetNanos) }) as TeamSummary,
    ),
    providers: (j.providers as { provider: string; spentNanos: string }[]).map((p) => ({ provider: p.provider, spentNanos: big(p.spentNanos) })),
    previous: { month: j.previous.month, spentNanos: big(j.previous.spentNanos), changePercent: j.previous.changePercent },
    chain: j.chain ? { seq: big(j.chain.seq), hash: String(j.chain.hash) } : null,
  };
}
