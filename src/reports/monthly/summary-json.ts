import { allocateCents, roundToCents } from '../cents.ts';
import type { MonthSummary, TeamSummary } from './month-summary.ts';

// The stored form of a summary: bigints as decimal strings, dates as ISO strings.
const big = (v: unknown): bigint => BigInt(String(v));

export function summaryToJson(s: MonthSummary): unknown {
  return JSON.parse(JSON.stringify(s, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}

export function summaryFromJson(json: unknown): MonthSummary {
  const j = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const spentNanos = big(j.spentNanos);
  // Summaries stored before period close had no cents: derive them as the report then did.
  const teams = (j.teams as Record<string, any>[]).map((t) => ({ ...t, spentNanos: big(t.spentNanos), budgetNanos: big(t.budgetNanos), spentCents: t.spentCents as string | undefined })); // eslint-disable-line @typescript-eslint/no-explicit-any
  const providers = (j.providers as { provider: string; spentNanos: string; spentCents?: string }[]).map((p) => ({ provider: p.provider, spentNanos: big(p.spentNanos) }));
  const teamCents = allocateCents(teams.map((t) => t.spentNanos));
  const providerCents = allocateCents(providers.map((p) => p.spentNanos));
  return {
    month: j.month,
    timeZone: j.timeZone,
    start: new Date(j.start),
    end: new Date(j.end),
    spentNanos,
    spentCents: j.spentCents === undefined ? roundToCents(spentNanos) : big(j.spentCents),
    adjustments: j.adjustments
      ? { nanos: big(j.adjustments.nanos), cents: big(j.adjustments.cents), requests: j.adjustments.requests }
      : { nanos: 0n, cents: 0n, requests: 0 },
    budgetNanos: big(j.budgetNanos),
    remainingNanos: big(j.remainingNanos),
    overage: { hardNanos: big(j.overage.hardNanos), softNanos: big(j.overage.softNanos) },
    activeEmployees: j.activeEmployees,
    requests: j.requests,
    teams: teams.map((t, i): TeamSummary => ({ ...t, spentCents: t.spentCents === undefined ? teamCents[i]! : big(t.spentCents) }) as TeamSummary),
    providers: providers.map((p, i) => ({ ...p, spentCents: (j.providers[i].spentCents === undefined ? providerCents[i]! : big(j.providers[i].spentCents)) })),
    previous: { month: j.previous.month, spentNanos: big(j.previous.spentNanos), changePercent: j.previous.changePercent },
    chain: j.chain ? { seq: big(j.chain.seq), hash: String(j.chain.hash) } : null,
  };
}
