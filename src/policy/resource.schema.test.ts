import { describe, expect, it } from 'vitest';
import { parseResources } from './load-resource-folder.ts';

const budget = (spec: string) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: b, namespace: acme }
spec:
${spec}`;

describe('resource schemas', () => {
  it('applies defaults', () => {
    const [r] = parseResources(budget('  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily'), 't.yaml');
    expect(r?.kind === 'Budget' && r.spec).toMatchObject({ timeZone: 'UTC', enforcement: 'Hard', alertThresholds: [80, 100] });
  });

  it('allows thresholds above 100 on a soft budget, and finance recipients (lower-cased)', () => {
    const [r] = parseResources(
      budget('  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Monthly\n  enforcement: Soft\n  alertThresholds: [80, 100, 150]\n  alertRecipients: [AP@Acme.example]'),
      't.yaml',
    );
    expect(r?.kind === 'Budget' && r.spec).toMatchObject({ alertThresholds: [80, 100, 150], alertRecipients: ['ap@acme.example'] });
  });

  it.each([
    ['  target: {}\n  scope: Shared\n  amount: "10"\n  period: Daily', 'at least one team or user'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "1.0000000001"\n  period: Daily', 'at most 9 decimals'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "0.00"\n  period: Daily', 'positive'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Hourly', 'spec.period'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  timeZone: Mars/Olympus', 'IANA'],
    ['  target: { teams: [eng], jobLevels: { min: 5, max: 2 } }\n  scope: Shared\n  amount: "10"\n  period: Daily', 'min must be <= max'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  alertThresholds: [0]', 'alertThresholds'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  surprise: 1', 'surprise'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  alertThresholds: [80, 150]', 'above 100 need enforcement: Soft'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  enforcement: Soft\n  alertThresholds: [1001]', 'alertThresholds'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  alertRecipients: [not-an-email]', 'alertRecipients'],
  ])('rejects %j with a message naming the problem', (spec, message) => {
    expect(() => parseResources(budget(spec), 'bad.yaml')).toThrow(message);
  });

  it.each([
    ['  target: { teams: [eng, eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily', 'spec.target.teams.1: duplicate team "eng"'],
    ['  target: { users: [Ada@acme.example, ada@acme.example] }\n  scope: Shared\n  amount: "10"\n  period: Daily', 'spec.target.users.1: duplicate user "ada@acme.example"'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  alertThresholds: [50, 80, 50]', 'spec.alertThresholds.2: duplicate threshold 50'],
    [`  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  alertThresholds: [${Array.from({ length: 21 }, (_, i) => i + 1).join(', ')}]`, 'spec.alertThresholds'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily\n  alertRecipients: [ap@acme.example, AP@acme.example]', 'spec.alertRecipients.1: duplicate recipient "ap@acme.example"'],
    ['  target: { teams: [eng] }\n  scope: Shared\n  amount: "1000000000"\n  period: Daily', 'below 1000000000'],
  ])('rejects what the CRD rejects too: %j', (spec, message) => {
    expect(() => parseResources(budget(spec), 'bad.yaml')).toThrow(message);
  });

  const doc = (kind: string, spec: string) => `apiVersion: stipend.dev/v1alpha1\nkind: ${kind}\nmetadata: { name: x, namespace: acme }\nspec: ${spec}`;
  it.each([
    ['Team', '{}', 'an empty spec is a mistake'],
    ['Team', '{ memberSelector: {} }', 'memberSelector must name a department, title, costCenter, division, employeeType, groups or a jobLevels bound'],
    ['Team', '{ memberSelector: { jobLevels: {} } }', 'memberSelector must name a department, title, costCenter, division, employeeType, groups or a jobLevels bound'],
    ['Team', '{ memberSelector: { groups: [] } }', 'spec.memberSelector.groups'],
    ['Team', '{ memberSelector: { costCenter: "" } }', 'spec.memberSelector.costCenter'],
    ['Team', '{ members: [{ email: ada@acme.example }, { email: ADA@acme.example }] }', 'spec.members.1: duplicate member email "ada@acme.example"'],
    ['ModelPolicy', '{ target: { teams: [eng] } }', 'a ModelPolicy must allow or deny at least one provider/model pattern'],
    ['ModelPolicy', '{ target: { teams: [eng] }, allow: ["openai/*", "openai/*"] }', 'spec.allow.1: duplicate pattern "openai/*"'],
  ])('%s %s is refused', (kind, spec, message) => {
    expect(() => parseResources(doc(kind, spec), 'bad.yaml')).toThrow(message);
  });

  it('accepts a Team that is only a cost center (service keys) and a deny-only ModelPolicy', () => {
    expect(parseResources(doc('Team', '{ costCenter: CC-BOTS-001 }'), 'ok.yaml')).toHaveLength(1);
    expect(parseResources(doc('ModelPolicy', '{ target: { teams: [eng] }, deny: ["openai/o1-pro*"] }'), 'ok.yaml')).toHaveLength(1);
    expect(parseResources(doc('Team', '{ memberSelector: { jobLevels: { min: 3 } } }'), 'ok.yaml')).toHaveLength(1);
    // Selectors on directory attributes (SCIM): any one of them is enough.
    for (const selector of ['{ groups: [AI Pilot] }', '{ costCenter: CC-ENG-001 }', '{ division: EMEA }', '{ employeeType: Contractor }']) {
      expect(parseResources(doc('Team', `{ memberSelector: ${selector} }`), 'ok.yaml')).toHaveLength(1);
    }
  });
});
