import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { financeDb, type DeliveryStatus } from '../reports/finance-tables.ts';

export interface AlertDetails {
  readonly id: bigint;
  readonly kind: string; // 'threshold' | 'exhausted' | 'forecast' | 'anomaly' | …
  readonly threshold: number | null;
  readonly spentNanos: bigint;
  readonly limitNanos: bigint;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly createdAt: Date;
  readonly owner: string; // 'shared' | 'person:<id>' | 'team:<id>'
  readonly details: Readonly<Record<string, unknown>>;
  readonly personEmail: string | null;
  readonly personName: string | null;
  /** The team the alert is about (team subjects), else null. */
  readonly team: { readonly key: string; readonly displayName: string } | null;
  readonly budget: {
    readonly namespace: string;
    readonly name: string;
    readonly scope: 'PerMember' | 'Shared';
    readonly period: string;
    readonly timeZone: string;
    readonly enforcement: 'Hard' | 'Soft';
    readonly teams: readonly string[];
    /** Display names of the target teams (a Shared budget is theirs). */
    readonly teamLabels: readonly string[];
  } | null;
}

export async function loadAlerts(db: Db, ids: readonly bigint[]): Promise<AlertDetails[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{
    id: bigint; kind: string; threshold: number | null; spent_nanos: bigint; limit_nanos: bigint; period_start: Date; period_end: Date;
    created_at: Date; owner: string; details: Record<string, unknown> | null; email: string | null; person_name: string | null;
    team_namespace: string | null; team_name: string | null; team_label: string | null;
    namespace: string | null; name: string | null; scope: 'PerMember' | 'Shared' | null; period: string | null; time_zone: string | null;
    enforcement: 'Hard' | 'Soft' | null; teams: string[] | null; team_labels: string[] | null;
  }>`
    select a.id, a.kind, a.threshold, a.spent_nanos, a.limit_nanos, a.period_start, a.period_end, a.created_at, a.owner, a.details,
           p.email, p.name as person_name, t.namespace as team_namespace, t.name as team_name, coalesce(t.display_name, t.name) as team_label,
           b.namespace, b.name, b.scope, b.period, b.time_zone, b.enforcement,
           array(select jsonb_array_elements_text(coalesce(b.target -> 'teams', '[]'))) as teams,
           array(select coalesce(bt.display_name, bt.name) from teams bt
                  where bt.namespace = b.namespace and bt.name in (select jsonb_array_elements_text(coalesce(b.target -> 'teams', '[]')))
                  order by bt.name) as team_labels
      from budget_alerts a
      left join budgets b on b.id = a.budget_id
      left join people p on p.id = (case when a.owner like 'person:%' then substr(a.owner, 8)::bigint end)
      left join teams t on t.id = (case when a.owner like 'team:%' then substr(a.owner, 6)::bigint end)
     where a.id = any(${ids.map(String)}::bigint[])
     order by a.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    threshold: r.threshold,
    spentNanos: r.spent_nanos,
    limitNanos: r.limit_nanos,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    createdAt: r.created_at,
    owner: r.owner,
    details: r.details ?? {},
    personEmail: r.email,
    personName: r.person_name,
    team: r.team_namespace && r.team_name ? { key: `${r.team_namespace}/${r.team_name}`, displayName: r.team_label ?? r.team_name } : null,
    budget:
      r.namespace && r.name && r.scope && r.period && r.time_zone && r.enforcement
        ? { namespace: r.namespace, name: r.name, scope: r.scope, period: r.period, timeZone: r.time_zone, enforcement: r.enforcement, teams: r.teams ?? [], teamLabels: r.team_labels ?? [] }
        : null,
  }));
}

/** Alerts whose period overlaps [from, to), newest first (the dashboard's month). */
export async function listAlertsBetween(db: Db, from: Date, to: Date, limit: number) {
  const ids = (
    await financeDb(db).selectFrom('budget_alerts').select('id').where('period_start', '<', to).where('period_end', '>', from).orderBy('id', 'desc').limit(limit).execute()
  ).map((r) => r.id);
  return withDeliveries(db, ids);
}

async function withDeliveries(db: Db, ids: readonly bigint[]) {
  const fdb = financeDb(db);
  const [alerts, deliveries] = await Promise.all([
    loadAlerts(db, ids),
    ids.length ? fdb.selectFrom('alert_deliveries').selectAll().where('alert_id', 'in', ids).orderBy('id').execute() : Promise.resolve([]),
  ]);
  return alerts.reverse().map((a) => ({ ...a, deliveries: deliveries.filter((d) => d.alert_id === a.id) }));
}

/** Recent alerts, newest first, with their deliveries. */
export async function listAlerts(db: Db, options: { readonly limit: number; readonly since?: Date }) {
  let query = financeDb(db).selectFrom('budget_alerts').select('id').orderBy('id', 'desc').limit(options.limit);
  if (options.since) query = query.where('created_at', '>=', options.since);
  return withDeliveries(db, (await query.execute()).map((r) => r.id));
}

export async function listAlertDeliveries(db: Db, options: { readonly limit: number; readonly status?: DeliveryStatus }) {
  let query = financeDb(db).selectFrom('alert_deliveries').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.status) query = query.where('status', '=', options.status);
  return query.execute();
}
