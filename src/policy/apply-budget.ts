import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { parseUsd } from '../pricing/money.ts';
import { missingTeams } from './missing-teams.ts';
import { notifyChange } from './notify-change.ts';
import { budgetChanged } from './policy-change.ts';
import type { BudgetResource } from './resource.schema.ts';

export interface ApplyResult {
  /** Teams the target names that do not exist (or are inactive) in the resource's namespace. */
  readonly missingTeams: readonly string[];
}

/** Upserts the budget row. A budget naming a missing team is stored anyway and reported. */
export async function applyBudget(db: Db, budget: BudgetResource): Promise<ApplyResult> {
  return db.transaction().execute(async (tx) => {
    const { namespace, name } = budget.metadata;
    const spec = budget.spec;
    const row = await tx
      .insertInto('budgets')
      .values({
        namespace,
        name,
        target: JSON.stringify(spec.target),
        scope: spec.scope,
        amount_nanos: parseUsd(spec.amount),
        period: spec.period,
        time_zone: spec.timeZone,
        enforcement: spec.enforcement,
        alert_thresholds: [...spec.alertThresholds].sort((a, b) => a - b),
        alert_recipients: [...new Set(spec.alertRecipients)],
      })
      .onConflict((oc) =>
        oc.columns(['namespace', 'name']).doUpdateSet((eb) => ({
          target: eb.ref('excluded.target'),
          scope: eb.ref('excluded.scope'),
          amount_nanos: eb.ref('excluded.amount_nanos'),
          period: eb.ref('excluded.period'),
          time_zone: eb.ref('excluded.time_zone'),
          enforcement: eb.ref('excluded.enforcement'),
          alert_thresholds: eb.ref('excluded.alert_thresholds'),
          alert_recipients: eb.ref('excluded.alert_recipients'),
          active: true,
          updated_at: sql`now()`,
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await notifyChange(tx, budgetChanged(row.id));
    return { missingTeams: await missingTeams(tx, namespace, spec.target.teams) };
  });
}
