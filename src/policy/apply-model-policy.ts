import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ApplyResult } from './apply-budget.ts';
import { missingTeams } from './missing-teams.ts';
import { notifyChange } from './notify-change.ts';
import { modelPolicyChanged } from './policy-change.ts';
import type { ModelPolicyResource } from './resource.schema.ts';

export async function applyModelPolicy(db: Db, policy: ModelPolicyResource): Promise<ApplyResult> {
  return db.transaction().execute(async (tx) => {
    const { namespace, name } = policy.metadata;
    const spec = policy.spec;
    const row = await tx
      .insertInto('model_policies')
      .values({
        namespace,
        name,
        target: JSON.stringify(spec.target),
        allow: spec.allow,
        deny: spec.deny,
        requests_per_minute: spec.rateLimits?.requestsPerMinute ?? null,
        tokens_per_minute: spec.rateLimits?.tokensPerMinute ?? null,
      })
      .onConflict((oc) =>
        oc.columns(['namespace', 'name']).doUpdateSet((eb) => ({
          target: eb.ref('excluded.target'),
          allow: eb.ref('excluded.allow'),
          deny: eb.ref('excluded.deny'),
          requests_per_minute: eb.ref('excluded.requests_per_minute'),
          tokens_per_minute: eb.ref('excluded.tokens_per_minute'),
          active: true,
          updated_at: sql`now()`,
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await notifyChange(tx, modelPolicyChanged(row.id));
    return { missingTeams: await missingTeams(tx, namespace, spec.target.teams) };
  });
}
