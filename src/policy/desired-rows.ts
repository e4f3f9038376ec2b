// Pure: the rows a resource's spec asks for. The apply functions upsert exactly these, on
// every reconcile (and every `stipend dev` start), so a row changed by hand is put back.
import type { Insertable } from 'kysely';
import type { BudgetsTable, ModelPoliciesTable, PeopleTable, TeamsTable } from '../db/database.ts';
import { parseUsd } from '../pricing/money.ts';
import type { BudgetResource, ModelPolicyResource, TeamResource } from './resource.schema.ts';

export function budgetRow(budget: BudgetResource): Insertable<BudgetsTable> {
  const { namespace, name } = budget.metadata;
  const spec = budget.spec;
  return {
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
  };
}

export function modelPolicyRow(policy: ModelPolicyResource): Insertable<ModelPoliciesTable> {
  const { namespace, name } = policy.metadata;
  const spec = policy.spec;
  return {
    namespace,
    name,
    target: JSON.stringify(spec.target),
    allow: spec.allow,
    deny: spec.deny,
    requests_per_minute: spec.rateLimits?.requestsPerMinute ?? null,
    tokens_per_minute: spec.rateLimits?.tokensPerMinute ?? null,
  };
}

export function teamRow(team: TeamResource): Insertable<TeamsTable> {
  const { namespace, name } = team.metadata;
  const spec = team.spec;
  return {
    namespace,
    name,
    display_name: spec.displayName ?? null,
    cost_center: spec.costCenter ?? null,
    owners: spec.owners,
    member_selector: spec.memberSelector ? JSON.stringify(spec.memberSelector) : null,
  };
}

/** The people a Team declares in YAML (members a selector picks are found in Postgres). */
export function declaredPeopleRows(team: TeamResource): Insertable<PeopleTable>[] {
  return team.spec.members.map((member) => ({
    email: member.email,
    name: member.name ?? null,
    job_level: member.jobLevel ?? null,
    department: member.department ?? null,
    title: member.title ?? null,
    external_id: null,
  }));
}
