import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TeamResource } from './resource.schema.ts';

type ServiceAccounts = TeamResource['spec']['serviceAccounts'];

/**
 * The team's service accounts as its YAML declares them (inside the Team's transaction).
 * One that is no longer declared is deactivated and its keys revoked: removing a bot from
 * Git is how it is stopped, and re-adding the name does not bring old keys back.
 */
export async function applyServiceAccounts(tx: Db, teamId: bigint, accounts: ServiceAccounts): Promise<void> {
  for (const a of accounts) {
    await tx
      .insertInto('service_accounts')
      .values({ team_id: teamId, name: a.name, description: a.description ?? null, job_level: a.jobLevel ?? null })
      .onConflict((oc) =>
        oc.columns(['team_id', 'name']).doUpdateSet((eb) => ({
          description: eb.ref('excluded.description'),
          job_level: eb.ref('excluded.job_level'),
          active: true,
          updated_at: sql`now()`,
        })),
      )
      .execute();
  }
  const names = accounts.map((a) => a.name);
  let gone = tx.updateTable('service_accounts').set({ active: false, updated_at: sql`now()` }).where('team_id', '=', teamId).where('active', '=', true);
  if (names.length > 0) gone = gone.where('name', 'not in', names);
  const removed = await gone.returning('id').execute();
  if (removed.length > 0) {
    await tx
      .updateTable('api_keys')
      .set({ revoked_at: sql`now()` })
      .where('service_account_id', 'in', removed.map((r) => r.id))
      .where('revoked_at', 'is', null)
      .execute();
  }
}
