import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { applyServiceAccounts } from './apply-service-accounts.ts';
import { notifyChange } from './notify-change.ts';
import { selectPeople } from './person-memberships.ts';
import { teamChanged } from './policy-change.ts';
import type { TeamResource } from './resource.schema.ts';

/** Upserts the team, the people it declares, and its memberships (declared + selected). */
export async function applyTeam(db: Db, team: TeamResource): Promise<{ readonly members: number }> {
  return db.transaction().execute(async (tx) => {
    const { namespace, name } = team.metadata;
    const spec = team.spec;
    const row = await tx
      .insertInto('teams')
      .values({
        namespace,
        name,
        display_name: spec.displayName ?? null,
        cost_center: spec.costCenter ?? null,
        owners: spec.owners,
        member_selector: spec.memberSelector ? JSON.stringify(spec.memberSelector) : null,
      })
      .onConflict((oc) =>
        oc.columns(['namespace', 'name']).doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          cost_center: eb.ref('excluded.cost_center'),
          owners: eb.ref('excluded.owners'),
          member_selector: eb.ref('excluded.member_selector'),
          active: true,
          updated_at: sql`now()`,
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();

    const declaredIds: bigint[] = [];
    for (const member of spec.members) {
      const person = await tx
        .insertInto('people')
        .values({
          email: member.email,
          name: member.name ?? null,
          job_level: member.jobLevel ?? null,
          department: member.department ?? null,
          title: member.title ?? null,
          external_id: null,
        })
        // YAML is the source of truth for people it declares; SCIM-provisioned people keep their attributes.
        .onConflict((oc) =>
          oc.column('email').doUpdateSet((eb) => ({
            name: sql`case when people.source = 'yaml' then coalesce(${eb.ref('excluded.name')}, people.name) else people.name end`,
            job_level: sql`case when people.source = 'yaml' then ${eb.ref('excluded.job_level')} else people.job_level end`,
            department: sql`case when people.source = 'yaml' then coalesce(${eb.ref('excluded.department')}, people.department) else people.department end`,
            title: sql`case when people.source = 'yaml' then coalesce(${eb.ref('excluded.title')}, people.title) else people.title end`,
            active: sql`case when people.source = 'yaml' then true else people.active end`,
            updated_at: sql`now()`,
          })),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      declaredIds.push(person.id);
    }

    const selectedIds = spec.memberSelector ? await selectPeople(tx, spec.memberSelector) : [];
    const declared = new Set(declaredIds);
    const all = [...new Set([...declaredIds, ...selectedIds])];
    await tx.deleteFrom('team_members').where('team_id', '=', row.id).execute();
    if (all.length > 0) {
      await tx
        .insertInto('team_members')
        .values(all.map((personId) => ({ team_id: row.id, person_id: personId, declared: declared.has(personId) })))
        .execute();
    }
    await applyServiceAccounts(tx, row.id, spec.serviceAccounts);
    // Gateways reload the team, its service accounts, its old and new members (people it declares included).
    await notifyChange(tx, teamChanged(row.id));
    return { members: all.length };
  });
}
