import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { financeDb, type DeliveryStatus } from '../reports/finance-tables.ts';

export interface AlertDetails {
  readonly id: bigint;
  /** 'threshold', or 'overage': a request cost more than its reservation on a hard wallet. */
  readonly kind: string;
  readonly threshold: number | null;
  /** For an overage: the request and what it cost beyond its reservation. */
  readonly requestId: string | null;
  readonly overageNanos: bigint | null;
  readonly spentNanos: bigint;
  readonly limitNanos: bigint;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly createdAt: Date;
  readonly owner: string; // 'shared' | 'person:<id>'
  readonly personEmail: string | null;
  readonly personName: string | null;
  readonly budget: {
    readonly namespace: string;
    readonly name: string;
    readonly scope: 'PerMember' | 'Shared';
    readonly period: string;
    readonly timeZone: string;
    readonly enforcement: 'Hard' | 'Soft';
    readonly teams: readonly string[];
  };
}

export async function loadAlerts(db: Db, ids: readonly bigint[]): Promise<AlertDetails[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{
    id: bigint; kind: string; threshold: number | null; request_id: string | null; overage_nanos: bigint | null; spent_nanos: bigint; limit_nanos: bigint; period_start: Date; period_end: Date;
    created_at: Date; owner: string; email: string | null; person_name: string | null; namespace: string; name: string;
    scope: 'PerMember' | 'Shared'; period: string; time_zone: string; enforcement: 'Hard' | 'Soft'; teams: string[] | null;
  }>`
    select a.id, a.kind, a.threshold, a.request_id, a.overage_nanos, a.spent_nanos, a.limit_nanos, a.period_start, a.period_end, a.created_at, a.owner,
           p.email, p.name as person_name, b.namespace, b.name, b.scope, b.period, b.time_zone, b.enforcement,
           array(select jsonb_array_elements_text(coalesce(b.target -> 'teams', '[]'))) as teams
      from budget_alerts a
      join budgets b on b.id = a.budget_id
      left join people p on a.owner like 'person:%' and p.id = nullif(substr(a.owner, 8), '')::bigint
     where a.id = any(${ids.map(String)}::bigint[])
     order by a.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    threshold: r.threshold,
    requestId: r.request_id,
    overageNanos: r.overage_nanos,
    spentNanos: r.spent_nanos,
    limitNanos: r.limit_nanos,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    createdAt: r.created_at,
    owner: r.owner,
    personEmail: r.email,
    personName: r.person_name,
    budget: { namespace: r.namespace, name: r.name, scope: r.scope, period: r.period, timeZone: r.time_zone, enforcement: r.enforcement, teams: r.teams ?? [] },
  }));
}

/** Recent alerts, newest first, with their deliveries. */
export async function listAlerts(db: Db, options: { readonly limit: number; readonly since?: Date }) {
  const fdb = financeDb(db);
  let query = fdb.selectFrom('budget_alerts').select('id').orderBy('id', 'desc').limit(options.limit);
  if (options.since) query = query.where('created_at', '>=', options.since);
  const ids = (await query.execute()).map((r) => r.id);
  const [alerts, deliveries] = await Promise.all([
    loadAlerts(db, ids),
    ids.length ? fdb.selectFrom('alert_deliveries').selectAll().where('alert_id', 'in', ids).orderBy('id').execute() : Promise.resolve([]),
  ]);
  return alerts.reverse().map((a) => ({ ...a, deliveries: deliveries.filter((d) => d.alert_id === a.id) }));
}

export async function listAlertDeliveries(db: Db, options: { readonly limit: number; readonly status?: DeliveryStatus }) {
  let query = financeDb(db).selectFrom('alert_deliveries').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.status) query = query.where('status', '=', options.status);
  return query.execute();
}
