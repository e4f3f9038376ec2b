// A company for the policy benchmark: `people` people in `teams` teams (Team memberSelectors
// on department, as SCIM-provisioned people are placed), budgets and policies per team shaped
// like examples/ (engineering tiers by job level, a Shared cap on support), one key each.
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { parseResources } from '../src/policy/load-resource-folder.ts';
import type { BudgetResource, ModelPolicyResource, StipendResource, TeamResource } from '../src/policy/resource.schema.ts';

export const NAMESPACE = 'corp';
export const teamName = (i: number) => `team-${String(i).padStart(3, '0')}`;
export const department = (i: number) => `dept-${String(i).padStart(3, '0')}`;
/** The clear key of person `id` (stored hashed, as every key). */
export const benchKey = (id: bigint) => `sk-stipend-bench-${id}`;

const kindOf = (i: number) => (['engineering', 'product', 'design', 'support'] as const)[i % 4]!;

export function teamResource(i: number, costCenter = `CC-${i}`): TeamResource {
  return parseResources(
    `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: ${teamName(i)}, namespace: ${NAMESPACE} }
spec:
  displayName: ${kindOf(i)} ${i}
  costCenter: ${costCenter}
  owners: [lead-${i}@corp.example]
  memberSelector: { department: ${department(i)} }
`,
    'bench',
  )[0] as TeamResource;
}

/** The team's budgets and policies: tiers like examples/ (engineering), one tier otherwise. */
export function teamPolicy(i: number, amountScale = 1): (BudgetResource | ModelPolicyResource)[] {
  const t = teamName(i);
  const budget = (name: string, target: string, scope: string, amount: number) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ${t}-${name}, namespace: ${NAMESPACE} }
spec:
  target: ${target}
  scope: ${scope}
  amount: "${(amount * amountScale).toFixed(2)}"
  period: Monthly
  timeZone: America/New_York
`;
  const policy = (name: string, target: string, allow: string, deny = '[]') => `apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: ${t}-${name}, namespace: ${NAMESPACE} }
spec:
  target: ${target}
  allow: ${allow}
  deny: ${deny}
`;
  const docs: string[] = [];
  switch (kindOf(i)) {
    case 'engineering':
      docs.push(
        budget('principal', `{ teams: [${t}], jobLevels: { min: 6 } }`, 'PerMember', 3000),
        budget('senior', `{ teams: [${t}], jobLevels: { min: 4, max: 5 } }`, 'PerMember', 2000),
        budget('mid', `{ teams: [${t}], jobLevels: { min: 0, max: 3 } }`, 'PerMember', 1200),
        budget('cap', `{ teams: [${t}] }`, 'Shared', 150_000),
        policy('principal', `{ teams: [${t}], jobLevels: { min: 6 } }`, '["openai/*", "anthropic/*", "google/*"]', '["openai/o1-pro*"]'),
        policy('senior-and-mid', `{ teams: [${t}], jobLevels: { max: 5 } }`, '["openai/*", "anthropic/*"]'),
      );
      break;
    case 'product':
      docs.push(budget('all', `{ teams: [${t}] }`, 'PerMember', 1500), policy('all', `{ teams: [${t}] }`, '["openai/*", "anthropic/*"]'));
      break;
    case 'design':
      docs.push(budget('all', `{ teams: [${t}] }`, 'PerMember', 800), policy('all', `{ teams: [${t}] }`, '["openai/gpt-4o", "openai/gpt-4o-mini"]'));
      break;
    case 'support':
      docs.push(
        budget('all', `{ teams: [${t}] }`, 'PerMember', 200),
        budget('cap', `{ teams: [${t}] }`, 'Shared', 1000),
        policy('all', `{ teams: [${t}] }`, '["openai/gpt-4o-mini"]'),
      );
      break;
  }
  return parseResources(docs.join('---\n'), 'bench') as (BudgetResource | ModelPolicyResource)[];
}

export async function seedCompany(db: Db, people: number, teams: number): Promise<void> {
  // People first (as SCIM provisions them), so that each Team's selector places them.
  await sql`insert into people (email, name, job_level, department, title, source, external_id)
    select 'u' || i || '@corp.example', 'User ' || i, i % 9, 'dept-' || lpad((i % ${teams})::text, 3, '0'), 'Engineer', 'scim', 'ext-' || i
    from generate_series(0, ${people - 1}) as i`.execute(db);
  const resources: StipendResource[] = [];
  for (let i = 0; i < teams; i++) resources.push(teamResource(i), ...teamPolicy(i));
  await syncResources(db, resources);
  await sql`insert into api_keys (person_id, key_hash, key_prefix, name)
    select id, encode(sha256(convert_to('sk-stipend-bench-' || id, 'UTF8')), 'hex'), 'sk-stipend-benc', 'bench'
    from people`.execute(db);
  await sql`analyze`.execute(db);
}
