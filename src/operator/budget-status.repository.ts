import type { Db } from '../db/database.ts';
import { periodWindow } from '../ledger/period.ts';
import { matchesTarget } from '../policy/compile-policy.ts';
import { parseUsd } from '../pricing/money.ts';
import type { BudgetResource } from '../policy/resource.schema.ts';
import { budgetPeriodStatus } from './budget-period.ts';

/** This period's spend for `kubectl get budgets`, read from the wallets the gateways charge. */
export async function readBudgetPeriod(db: Db, budget: BudgetResource, now: Date) {
  const { namespace, name } = budget.metadata;
  const window = periodWindow(budget.spec.period, budget.spec.timeZone, now);
  const wallets = await db
    .selectFrom('wallets')
    .innerJoin('budgets', 'budgets.id', 'wallets.budget_id')
    .select(['wallets.spent_nanos'])
    .where('budgets.namespace', '=', namespace)
    .where('budgets.name', '=', name)
    .where('wallets.period_start', '=', window.start)
    .execute();
  const members = budget.spec.scope === 'PerMember' ? await countMatchingPeople(db, budget) : 1;
  return budgetPeriodStatus({
    scope: budget.spec.scope,
    amountNanos: parseUsd(budget.spec.amount),
    window,
    walletSpends: wallets.map((w) => w.spent_nanos),
    members,
  });
}

/** People the target matches, by the same rule the gateway compiles (`matchesTarget`). */
async function countMatchingPeople(db: Db, budget: BudgetResource): Promise<number> {
  const { namespace } = budget.metadata;
  const { target } = budget.spec;
  const rows = await db
    .selectFrom('people')
    .leftJoin('team_members', 'team_members.person_id', 'people.id')
    .leftJoin('teams', (join) => join.onRef('teams.id', '=', 'team_members.team_id').on('teams.active', '=', true))
    .select(['people.id', 'people.email', 'people.job_level', 'teams.namespace', 'teams.name'])
    .where('people.active', '=', true)
    .where((eb) => {
      const byUser = target.users.length > 0 ? [eb('people.email', 'in', target.users)] : [];
      const byTeam = target.teams.length > 0 ? [eb.and([eb('teams.namespace', '=', namespace), eb('teams.name', 'in', target.teams)])] : [];
      return eb.or([...byUser, ...byTeam]);
    })
    .execute();
  const people = new Map<bigint, { id: bigint; email: string; jobLevel: number | null; teams: Set<string> }>();
  for (const r of rows) {
    const p = people.get(r.id) ?? { id: r.id, email: r.email, jobLevel: r.job_level, teams: new Set<string>() };
    if (r.namespace && r.name) p.teams.add(`${r.namespace}/${r.name}`);
    people.set(r.id, p);
  }
  return [...people.values()].filter((p) => matchesTarget(p, namespace, target)).length;
}
