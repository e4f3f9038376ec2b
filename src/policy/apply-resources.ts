import type { Db } from '../db/database.ts';
import { applyBudget } from './apply-budget.ts';
import { applyModelPolicy } from './apply-model-policy.ts';
import { applyTeam } from './apply-team.ts';
import { deactivateResource } from './deactivate-resource.ts';
import { KIND_NAMES, KINDS } from './kinds.ts';
import type { StipendResource } from './resource.schema.ts';

export interface SyncReport {
  readonly applied: number;
  readonly deactivated: number;
  readonly warnings: readonly string[];
}

/**
 * Makes the policy rows equal to a complete set of resources (a folder in `stipend dev`),
 * through the same per-resource functions the operator calls. Teams go first so that
 * budgets and policies see them.
 */
export async function syncResources(db: Db, resources: readonly StipendResource[]): Promise<SyncReport> {
  const sorted = [...resources].sort((a, b) => KIND_NAMES.indexOf(a.kind) - KIND_NAMES.indexOf(b.kind));
  const warnings: string[] = [];
  for (const resource of sorted) {
    const result = await applyResource(db, resource);
    for (const team of result.missingTeams) {
      warnings.push(`${resource.kind} ${resource.metadata.namespace}/${resource.metadata.name} names missing team "${team}"`);
    }
  }
  let deactivated = 0;
  for (const kind of KIND_NAMES) {
    const wanted = new Set(resources.filter((r) => r.kind === kind).map((r) => `${r.metadata.namespace}/${r.metadata.name}`));
    const active = await db.selectFrom(KINDS[kind].table).select(['namespace', 'name']).where('active', '=', true).execute();
    for (const row of active) {
      if (wanted.has(`${row.namespace}/${row.name}`)) continue;
      await deactivateResource(db, kind, row.namespace, row.name);
      deactivated++;
    }
  }
  return { applied: resources.length, deactivated, warnings };
}

export async function applyResource(db: Db, resource: StipendResource): Promise<{ readonly missingTeams: readonly string[] }> {
  switch (resource.kind) {
    case 'Team':
      await applyTeam(db, resource);
      return { missingTeams: [] };
    case 'Budget':
      return applyBudget(db, resource);
    case 'ModelPolicy':
      return applyModelPolicy(db, resource);
  }
}
