import { describe, expect, it } from 'vitest';
import { budgetRow, declaredPeopleRows, modelPolicyRow, teamRow } from './desired-rows.ts';
import { budgetSchema, modelPolicySchema, teamSchema } from './resource.schema.ts';

const metadata = { name: 'x', namespace: 'acme' };

describe('desired rows', () => {
  it('a Budget: exact nano-dollars, thresholds in order', () => {
    const budget = budgetSchema.parse({
      apiVersion: 'stipend.dev/v1alpha1',
      kind: 'Budget',
      metadata,
      spec: { target: { teams: ['eng'] }, scope: 'PerMember', amount: '3000.000000001', period: 'Monthly', alertThresholds: [100, 50, 80], alertRecipients: ['b@acme.example', 'a@acme.example'] },
    });
    expect(budgetRow(budget)).toMatchObject({
      namespace: 'acme',
      name: 'x',
      scope: 'PerMember',
      amount_nanos: 3_000_000_000_001n,
      alert_thresholds: [50, 80, 100],
      alert_recipients: ['b@acme.example', 'a@acme.example'],
    });
    expect(JSON.parse(budgetRow(budget).target as string)).toMatchObject({ teams: ['eng'] });
  });

  it('a ModelPolicy: its patterns and rate limits (none: null)', () => {
    const policy = modelPolicySchema.parse({ apiVersion: 'stipend.dev/v1alpha1', kind: 'ModelPolicy', metadata, spec: { target: { users: ['a@acme.example'] }, allow: ['openai/*'] } });
    expect(modelPolicyRow(policy)).toMatchObject({ allow: ['openai/*'], deny: [], requests_per_minute: null, tokens_per_minute: null });
  });

  it('a Team: its row and the people it declares', () => {
    const team = teamSchema.parse({
      apiVersion: 'stipend.dev/v1alpha1',
      kind: 'Team',
      metadata,
      spec: { displayName: 'Engineering', costCenter: 'CC-ENG-001', members: [{ email: 'ada@acme.example', name: 'Ada', jobLevel: 6 }] },
    });
    expect(teamRow(team)).toMatchObject({ display_name: 'Engineering', cost_center: 'CC-ENG-001', member_selector: null });
    expect(declaredPeopleRows(team)).toEqual([{ email: 'ada@acme.example', name: 'Ada', job_level: 6, department: null, title: null, external_id: null }]);
  });
});
