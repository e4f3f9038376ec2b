import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { listPersonKeys } from '../../keys/api-keys.repository.ts';
import { periodWindow, type Period } from '../../ledger/period.ts';
import { matchesTarget } from '../../policy/compile-policy.ts';
import { compileGlobs } from '../../policy/glob.ts';
import { storedTargetSchema } from '../../policy/resource.schema.ts';
import type { Catalog } from '../../pricing/catalog.ts';

export interface PortalPerson {
  readonly id: bigint;
  readonly email: string;
  readonly name: string | null;
  readonly suspendedAt: Date | null;
}

export interface PortalBudget {
  readonly name: string;
  readonly scope: 'PerMember' | 'Shared';
  readonly period: Period;
  readonly hard: boolean;
  readonly limitNanos: bigint;
  readonly spentNanos: bigint;
  readonly reservedNanos: bigint;
  readonly remainingNanos: bigint;
  readonly resetsAt: Date;
}

export interface PortalData {
  readonly person: PortalPerson;
  readonly teams: readonly string[];
  readonly budgets: readonly PortalBudget[];
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  /** Catalog models the policies allow, as clients name them. */
  readonly models: readonly { readonly provider: string; readonly model: string }[];
  readonly requests: readonly {
    readonly at: Date;
    readonly model: string;
    readonly endpoint: string;
    readonly tokens: number;
    readonly costNanos: bigint;
    readonly status: string;
    readonly httpStatus: number | null;
  }[];
  readonly keys: Awaited<ReturnType<typeof listPersonKeys>>;
}

/** The signed-in person's row: active people only (a leaver's session shows nothing of theirs). */
export async function findPortalPerson(db: Db, email: string): Promise<PortalPerson | null> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'email', 'name', 'access_suspended_at'])
    .where('email', '=', email.toLowerCase())
    .where('active', '=', true)
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, name: row.name, suspendedAt: row.access_suspended_at ? new Date(row.access_suspended_at) : null } : null;
}

/**
 * What the portal shows one person, computed the way the gateway compiles it (the same
 * target matching and globs) but for this person only: their budgets with this period's
 * wallet, the models their policies allow, their latest requests and their keys.
 */
export async function portalData(db: Db, person: PortalPerson, catalog: Catalog, now: Date): Promise<PortalData> {
  const [row, teams, budgets, policies, requests, keys] = await Promise.all([
    db.selectFrom('people').select(['job_level']).where('id', '=', person.id).executeTakeFirstOrThrow(),
    db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['teams.namespace', 'teams.name', 'teams.display_name'])
      .where('team_members.person_id', '=', person.id)
      .where('teams.active', '=', true)
      .orderBy('teams.namespace')
      .orderBy('teams.name')
      .execute(),
    db.selectFrom('budgets').select(['id', 'namespace', 'name', 'target', 'scope', 'amount_nanos', 'period', 'time_zone', 'enforcement']).where('active', '=', true).orderBy('namespace').orderBy('name').execute(),
    db.selectFrom('model_policies').select(['namespace', 'target', 'allow', 'deny']).where('active', '=', true).execute(),
    db
      .selectFrom('usage_events')
      .select(['occurred_at', 'model', 'provider', 'endpoint', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'cost_nanos', 'pricing_status', 'http_status'])
      .where('person_id', '=', person.id)
      .orderBy('seq', 'desc')
      .limit(25)
      .execute(),
    listPersonKeys(db, person.id),
  ]);
  const subject = { id: person.id, email: person.email, jobLevel: row.job_level, teams: new Set(teams.map((t) => `${t.namespace}/${t.name}`)) };
  const mineBudgets = budgets.filter((b) => matchesTarget(subject, b.namespace, storedTargetSchema.parse(b.target)));
  const minePolicies = policies.filter((p) => matchesTarget(subject, p.namespace, storedTargetSchema.parse(p.target)));

  const windows = mineBudgets.map((b) => ({ b, window: periodWindow(b.period, b.time_zone, now), owner: b.scope === 'Shared' ? 'shared' : `person:${person.id}` }));
  const wallets = windows.length
    ? await db
        .selectFrom('wallets')
        .select(['budget_id', 'owner', 'period_start', 'spent_nanos', 'reserved_nanos'])
        .where(sql<boolean>`(budget_id, owner, period_start) in (${sql.join(windows.map((w) => sql`(${w.b.id}, ${w.owner}, ${w.window.start.toISOString()}::timestamptz)`))})`)
        .execute()
    : [];
  const walletOf = (budgetId: bigint, owner: string, start: Date) =>
    wallets.find((w) => w.budget_id === budgetId && w.owner === owner && new Date(w.period_start).getTime() === start.getTime());

  const allow = [...new Set(minePolicies.flatMap((p) => p.allow))];
  const deny = [...new Set(minePolicies.flatMap((p) => p.deny))];
  const allowed = compileGlobs(allow);
  const denied = compileGlobs(deny);
  const models = catalog
    .list()
    .filter((m) => {
      const family = catalog.resolve(`${m.provider}/${m.model}`)?.family ?? [`${m.provider}/${m.model}`];
      return family.some(allowed) && !family.some(denied);
    })
    .map((m) => ({ provider: m.provider, model: m.model }));

  return {
    person,
    teams: teams.map((t) => t.display_name ?? `${t.namespace}/${t.name}`),
    budgets: windows.map(({ b, window, owner }) => {
      const w = walletOf(b.id, owner, window.start);
      const spent = w ? BigInt(w.spent_nanos) : 0n;
      const reserved = w ? BigInt(w.reserved_nanos) : 0n;
      const remaining = b.amount_nanos - spent - reserved;
      return {
        name: `${b.namespace}/${b.name}`,
        scope: b.scope,
        period: b.period,
        hard: b.enforcement === 'Hard',
        limitNanos: b.amount_nanos,
        spentNanos: spent,
        reservedNanos: reserved,
        remainingNanos: remaining < 0n ? 0n : remaining,
        resetsAt: window.end,
      };
    }),
    allow,
    deny,
    models,
    requests: requests.map((r) => ({
      at: new Date(r.occurred_at),
      model: `${r.provider}/${r.model}`,
      endpoint: r.endpoint,
      tokens: r.input_tokens + r.cached_input_tokens + r.cache_write_tokens + r.output_tokens,
      costNanos: BigInt(r.cost_nanos),
      status: r.pricing_status,
      httpStatus: r.http_status,
    })),
    keys,
  };
}
