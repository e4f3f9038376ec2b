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
});
