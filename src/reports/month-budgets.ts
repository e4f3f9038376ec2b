// The budgets in force in a month, read from the wallets of that month (each wallet keeps
// the limit in force when it was last used), not from today's policy. See docs/finance.md.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { periodWindow, type Period } from '../ledger/period.ts';
import { compilePolicy } from '../policy/compile-policy.ts';
import { loadPolicySnapshot } from '../policy/policy-snapshot.repository.ts';
import { monthWindow } from './month-window.ts';

export interface WalletInMonth {
  readonly walletId: bigint | null; // null: an allowance of the month in progress not opened yet
  readonly owner: string; // 'shared' | 'person:<id>'
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly limitNanos: bigint;
  readonly spentNanos: bigint;
}

export interface BudgetInMonth {
  readonly budgetId: bigint;
  readonly key: string; // namespace/name
  readonly scope: 'PerMember' | 'Shared';
  readonly period: Period;
  readonly timeZone: string;
  readonly enforcement: 'Hard' | 'Soft';
  readonly teams: readonly string[]; // target teams, namespace/name
  readonly users: readonly string[];
  readonly active: boolean;
  readonly wallets: readonly WalletInMonth[];
  readonly limitNanos: bigint; // sum of its wallets' limits in the month
  readonly spentNanos: bigint;
}

export interface TeamCap {
  readonly team: string;
  readonly perMemberNanos: bigint | null; // sum of the members' PerMember allowances
  readonly sharedNanos: bigint | null; // Shared budgets naming only this team
  /** What the team can spend at most: the smaller of the two when both exist. */
  readonly capNanos: bigint;
  readonly binding: 'Shared' | 'PerMember';
}

export interface MonthBudgets {
  readonly month: string;
  readonly inProgress: boolean;
  readonly budgets: readonly BudgetInMonth[];
  readonly teams: ReadonlyMap<string, TeamCap>;
  /** The team a person's month is booked to: where their spend went, else their primary team today. */
  readonly personTeam: ReadonlyMap<string, string>;
}

interface Target {
  readonly teams?: readonly string[];
  readonly users?: readonly string[];
}

export async function monthBudgets(db: Db, month: string, timeZone: string, now: Date): Promise<MonthBudgets> {
  const w = monthWindow(month, timeZone);
  const inProgress = now >= w.start && now < w.end;
  const [wallets, booked, snapshot] = await Promise.all([
    sql<{
      id: bigint; budget_id: bigint; owner: string; period_start: Date; period_end: Date; limit_nanos: bigint; spent_nanos: bigint;
      namespace: string; name: string; scope: 'PerMember' | 'Shared'; period: Period; time_zone: string; enforcement: 'Hard' | 'Soft'; target: unknown; active: boolean;
    }>`select w.id, w.budget_id, w.owner, w.period_start, w.period_end, w.limit_nanos, w.spent_nanos,
              b.namespace, b.name, b.scope, b.period, b.time_zone, b.enforcement, b.target, b.active
         from wallets w join budgets b on b.id = w.budget_id
        where w.period_start >= ${w.start} and w.period_start < ${w.end}
        order by b.namespace, b.name, w.owner, w.period_start`.execute(db),
    sql<{ person_id: bigint; team: string }>`select distinct on (person_id) person_id, team
         from usage_events
        where occurred_at >= ${w.start} and occurred_at < ${w.end} and person_id is not null and team is not null
        group by person_id, team order by person_id, sum(cost_nanos) desc, team`.execute(db),
    loadPolicySnapshot(db),
  ]);
  const policy = compilePolicy(snapshot);

  const budgets = new Map<bigint, { info: Omit<BudgetInMonth, 'wallets' | 'limitNanos' | 'spentNanos'>; wallets: WalletInMonth[] }>();
  const infoOf = (b: { budget_id: bigint; namespace: string; name: string; scope: 'PerMember' | 'Shared'; period: Period; time_zone: string; enforcement: 'Hard' | 'Soft'; target: unknown; active: boolean }) => {
    const target = (typeof b.target === 'string' ? JSON.parse(b.target) : b.target) as Target;
    return {
      budgetId: b.budget_id,
      key: `${b.namespace}/${b.name}`,
      scope: b.scope,
      period: b.period,
      timeZone: b.time_zone,
      enforcement: b.enforcement,
      teams: (target.teams ?? []).map((t) => `${b.namespace}/${t}`),
      users: target.users ?? [],
      active: b.active,
    };
  };
  for (const r of wallets.rows) {
    const entry = budgets.get(r.budget_id) ?? { info: infoOf(r), wallets: [] };
    entry.wallets.push({ walletId: r.id, owner: r.owner, periodStart: new Date(r.period_start), periodEnd: new Date(r.period_end), limitNanos: r.limit_nanos, spentNanos: r.spent_nanos });
    budgets.set(r.budget_id, entry);
  }

  // The month in progress: today's policy also counts the allowances nobody has opened yet
  // (this and the month's remaining windows), so the month's budget does not grow as people show up.
  if (inProgress) {
    const rows = new Map(snapshot.budgets.map((b) => [b.id, b]));
    const seen = new Set(wallets.rows.map((r) => `${r.budget_id}|${r.owner}|${new Date(r.period_start).getTime()}`));
    for (const person of policy.byEmail.values()) {
      for (const pb of person.budgets) {
        const row = rows.get(pb.budgetId);
        if (!row) continue;
        for (let win = periodWindow(pb.period, pb.timeZone, now); win.start < w.end; win = periodWindow(pb.period, pb.timeZone, win.end)) {
          const id = `${pb.budgetId}|${pb.owner}|${win.start.getTime()}`;
          if (seen.has(id) || win.start < w.start) continue;
          seen.add(id);
          const entry = budgets.get(pb.budgetId) ?? { info: infoOf({ ...row, budget_id: row.id, active: true }), wallets: [] };
          entry.wallets.push({ walletId: null, owner: pb.owner, periodStart: win.start, periodEnd: win.end, limitNanos: pb.limitNanos, spentNanos: 0n });
          budgets.set(pb.budgetId, entry);
        }
      }
    }
  }

  const personTeam = new Map<string, string>();
  for (const p of policy.byEmail.values()) if (p.team) personTeam.set(String(p.personId), p.team.key);
  for (const r of booked.rows) personTeam.set(String(r.person_id), r.team);

  const result: BudgetInMonth[] = [...budgets.values()]
    .map(({ info, wallets: ws }) => ({
      ...info,
      wallets: ws,
      limitNanos: ws.reduce((s, x) => s + x.limitNanos, 0n),
      spentNanos: ws.reduce((s, x) => s + x.spentNanos, 0n),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));

  const perMember = new Map<string, bigint>();
  const shared = new Map<string, bigint>();
  for (const b of result) {
    if (b.scope === 'Shared') {
      if (b.teams.length === 1 && b.users.length === 0) shared.set(b.teams[0]!, (shared.get(b.teams[0]!) ?? 0n) + b.limitNanos);
      continue;
    }
    for (const x of b.wallets) {
      const team = personTeam.get(x.owner.slice('person:'.length));
      if (team) perMember.set(team, (perMember.get(team) ?? 0n) + x.limitNanos);
    }
  }
  const teams = new Map<string, TeamCap>();
  for (const team of new Set([...perMember.keys(), ...shared.keys()])) {
    const p = perMember.get(team) ?? null;
    const s = shared.get(team) ?? null;
    const binding = s !== null && (p === null || s <= p) ? 'Shared' : 'PerMember';
    teams.set(team, { team, perMemberNanos: p, sharedNanos: s, capNanos: binding === 'Shared' ? s! : p!, binding });
  }
  return { month, inProgress, budgets: result, teams, personTeam };
}
