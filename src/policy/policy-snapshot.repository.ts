import type { Db } from '../db/database.ts';

/** Everything the gateway compiles, read in one repeatable-read transaction so it is consistent. */
export async function loadPolicySnapshot(db: Db) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const [people, keys, teams, members, budgets, policies, serviceKeys] = await Promise.all([
        tx.selectFrom('people').select(['id', 'email', 'name', 'job_level']).where('active', '=', true).execute(),
        tx
          .selectFrom('api_keys')
          .innerJoin('people', 'people.id', 'api_keys.person_id')
          .select(['api_keys.key_hash', 'people.id as person_id'])
          .where('api_keys.revoked_at', 'is', null)
          .where('people.active', '=', true)
          .execute(),
        tx.selectFrom('teams').select(['id', 'namespace', 'name', 'cost_center']).where('active', '=', true).execute(),
        tx.selectFrom('team_members').select(['team_id', 'person_id']).execute(),
        tx
          .selectFrom('budgets')
          .select(['id', 'namespace', 'name', 'target', 'scope', 'amount_nanos', 'period', 'time_zone', 'enforcement'])
          .where('active', '=', true)
          .orderBy('id')
          .execute(),
        tx
          .selectFrom('model_policies')
          .select(['id', 'namespace', 'name', 'target', 'allow', 'deny', 'requests_per_minute', 'tokens_per_minute'])
          .where('active', '=', true)
          .orderBy('id')
          .execute(),
        // Service keys (0017) with their account and team; the team's activity is checked when compiling.
        tx
          .selectFrom('api_keys')
          .innerJoin('service_accounts', 'service_accounts.id', 'api_keys.service_account_id')
          .innerJoin('teams', 'teams.id', 'service_accounts.team_id')
          .select(['api_keys.id', 'api_keys.key_hash', 'service_accounts.id as service_account_id', 'service_accounts.name', 'service_accounts.job_level'])
          .select(['teams.namespace as team_namespace', 'teams.name as team_name'])
          .where('api_keys.revoked_at', 'is', null)
          .where('service_accounts.active', '=', true)
          .execute(),
      ]);
      return { people, keys, teams, members, budgets, policies, serviceKeys } as const;
    });
}

export type PolicySnapshot = Awaited<ReturnType<typeof loadPolicySnapshot>>;
