import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PolicyDelta } from './apply-delta.ts';
import type { AccountEntry, BudgetRow, ModelPolicyRow, PersonRow, TeamRow } from './policy-index.ts';

export interface DeltaRequest {
  /** People to re-read: their row, unrevoked keys and memberships. */
  readonly people: Iterable<bigint>;
  /** Teams to re-read: their row, members (whose people are then re-read too) and service accounts. */
  readonly teams: Iterable<bigint>;
  /** Service accounts to re-read: their row and unrevoked keys. */
  readonly accounts: Iterable<bigint>;
  readonly budgets: Iterable<bigint>;
  readonly policies: Iterable<bigint>;
}

const anyOf = (column: string, ids: readonly bigint[]): Expression<SqlBool> =>
  sql<SqlBool>`${sql.ref(column)} = any(${sql.val(ids.map(String))}::bigint[])`;

/**
 * Re-reads the rows a batch of changes names, in one repeatable-read transaction: what the
 * batch applies is one consistent state, as of a moment after every change in it committed.
 */
export async function loadPolicyDelta(db: Db, request: DeltaRequest): Promise<PolicyDelta> {
  const teamIds = [...new Set(request.teams)];
  const budgetIds = [...new Set(request.budgets)];
  const policyIds = [...new Set(request.policies)];
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const teamRows = teamIds.length === 0 ? [] : await tx.selectFrom('teams').select(['id', 'namespace', 'name', 'cost_center', 'active']).where(anyOf('id', teamIds)).execute();
      const memberRows = teamIds.length === 0 ? [] : await tx.selectFrom('team_members').select(['team_id', 'person_id']).where(anyOf('team_id', teamIds)).execute();

      const personIds = new Set(request.people);
      for (const m of memberRows) personIds.add(m.person_id);
      const ids = [...personIds];
      const [personRows, keyRows, membershipRows] =
        ids.length === 0
          ? [[], [], []]
          : [
              await tx.selectFrom('people').select(['id', 'email', 'name', 'job_level', 'active']).where(anyOf('id', ids)).execute(),
              await tx.selectFrom('api_keys').select(['key_hash', 'person_id']).where(anyOf('person_id', ids)).where('revoked_at', 'is', null).orderBy('id').execute(),
              await tx.selectFrom('team_members').select(['team_id', 'person_id']).where(anyOf('person_id', ids)).execute(),
            ];
      const accountIds = [...new Set(request.accounts)];
      const accountRows =
        accountIds.length === 0 && teamIds.length === 0
          ? []
          : await tx
              .selectFrom('service_accounts')
              .innerJoin('teams', 'teams.id', 'service_accounts.team_id')
              .select(['service_accounts.id', 'service_accounts.name', 'service_accounts.job_level', 'service_accounts.active', 'teams.namespace', 'teams.name as team_name'])
              .where((eb) => eb.or([anyOf('service_accounts.id', accountIds), anyOf('service_accounts.team_id', teamIds)]))
              .execute();
      for (const a of accountRows) if (!accountIds.includes(a.id)) accountIds.push(a.id);
      const accountKeyRows =
        accountIds.length === 0
          ? []
          : await tx.selectFrom('api_keys').select(['id', 'key_hash', 'service_account_id']).where(anyOf('service_account_id', accountIds)).where('revoked_at', 'is', null).orderBy('id').execute();
      const budgetRows =
        budgetIds.length === 0
          ? []
          : await tx
              .selectFrom('budgets')
              .select(['id', 'namespace', 'name', 'target', 'scope', 'amount_nanos', 'period', 'time_zone', 'enforcement', 'active'])
              .where(anyOf('id', budgetIds))
              .execute();
      const policyRows =
        policyIds.length === 0
          ? []
          : await tx
              .selectFrom('model_policies')
              .select(['id', 'namespace', 'name', 'target', 'allow', 'deny', 'requests_per_minute', 'tokens_per_minute', 'active'])
              .where(anyOf('id', policyIds))
              .execute();

      const teams = new Map<bigint, { row: TeamRow | null; members: bigint[] }>();
      for (const id of teamIds) teams.set(id, { row: null, members: [] });
      for (const { active, ...row } of teamRows) teams.get(row.id)!.row = active ? row : null;
      for (const m of memberRows) teams.get(m.team_id)!.members.push(m.person_id);

      const people = new Map<bigint, { row: PersonRow | null; keys: string[]; teams: bigint[] }>();
      for (const id of ids) people.set(id, { row: null, keys: [], teams: [] });
      for (const { active, ...row } of personRows) people.get(row.id)!.row = active ? row : null;
      for (const k of keyRows) people.get(k.person_id!)!.keys.push(k.key_hash);
      for (const m of membershipRows) people.get(m.person_id)!.teams.push(m.team_id);

      const budgets = new Map<bigint, BudgetRow | null>(budgetIds.map((id) => [id, null]));
      for (const { active, ...row } of budgetRows) budgets.set(row.id, active ? row : null);
      const policies = new Map<bigint, ModelPolicyRow | null>(policyIds.map((id) => [id, null]));
      for (const { active, ...row } of policyRows) policies.set(row.id, active ? row : null);
      const accounts = new Map<bigint, (AccountEntry & { keys: { id: bigint; hash: string }[] }) | null>(accountIds.map((id) => [id, null]));
      for (const a of accountRows) {
        if (a.active) accounts.set(a.id, { id: a.id, name: a.name, jobLevel: a.job_level, teamKey: `${a.namespace}/${a.team_name}`, keys: [] });
      }
      for (const k of accountKeyRows) accounts.get(k.service_account_id!)?.keys.push({ id: k.id, hash: k.key_hash });
      return { people, teams, budgets, policies, accounts };
    });
}
