import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PolicyDelta } from './apply-delta.ts';
import type { BudgetRow, ModelPolicyRow, PersonRow, TeamRow } from './policy-index.ts';

export interface DeltaRequest {
  /** People to re-read: their row, unrevoked keys and memberships. */
  readonly people: Iterable<bigint>;
  /** Teams to re-read: their row and members (whose people are then re-read too). */
  readonly teams: Iterable<bigint>;
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
      for (const k of keyRows) people.get(k.person_id)!.keys.push(k.key_hash);
      for (const m of membershipRows) people.get(m.person_id)!.teams.push(m.team_id);

      const budgets = new Map<bigint, BudgetRow | null>(budgetIds.map((id) => [id, null]));
      for (const { active, ...row } of budgetRows) budgets.set(row.id, active ? row : null);
      const policies = new Map<bigint, ModelPolicyRow | null>(policyIds.map((id) => [id, null]));
      for (const { active, ...row } of policyRows) policies.set(row.id, active ? row : null);
      return { people, teams, budgets, policies };
    });
}
