// The CRDs come from the zod schemas, and the API server enforces what zod says.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crdFiles } from '../../src/operator/crd/write-crds.ts';
import { kubectl, kubectlFails, uniqueNamespace } from './kube-helpers.ts';

const crdDir = new URL('../../crds', import.meta.url).pathname;

describe('crds/ drift', () => {
  it('crds/ is exactly what `npm run crds` generates from the zod schemas', () => {
    const generated = crdFiles();
    const committed = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect(readFileSync(`${crdDir}/${name}`, 'utf8'), `${name} drifted: run npm run crds`).toBe(text);
  });
});

describe('the API server rejects invalid resources', () => {
  const ns = uniqueNamespace('crd');
  beforeAll(async () => {
    await kubectl(['apply', '-f', crdDir]);
    await kubectl(['wait', '--for=condition=Established', 'crd/budgets.stipend.dev', 'crd/teams.stipend.dev', 'crd/modelpolicies.stipend.dev']);
    await kubectl(['create', 'namespace', ns]);
  });

  const budget = (spec: string) => `apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: b, namespace: ${ns} }
spec:
${spec}`;
  const valid = '  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily';

  it.each([
    ['no team or user', valid.replace('teams: [eng]', 'teams: []'), 'target must name at least one team or user'],
    ['jobLevels min > max', valid.replace('teams: [eng]', 'teams: [eng], jobLevels: { min: 5, max: 2 }'), 'jobLevels.min must be <= max'],
    ['threshold out of 1..100', `${valid}\n  alertThresholds: [0, 101]`, 'should be greater than or equal to 1'],
    ['threshold above 100 on a hard budget', `${valid}\n  alertThresholds: [80, 150]`, 'alertThresholds above 100 need enforcement: Soft'],
    ['zero amount', valid.replace('"10"', '"0.00"'), 'amount must be positive'],
    ['too many decimals', valid.replace('"10"', '"1.0000000001"'), 'spec.amount in body should match'],
    ['unknown time zone', `${valid}\n  timeZone: Mars/Olympus`, 'timeZone must be an IANA time zone'],
    ['wrong type', valid.replace('"10"', '10'), 'spec.amount in body must be of type string'],
    ['unknown field', `${valid}\n  surprise: 1`, 'unknown field "spec.surprise"'],
  ])('%s', async (_name, spec, message) => {
    expect(await kubectlFails(['apply', '-f', '-'], budget(spec))).toContain(message);
  });

  it('accepts a valid one, with defaults filled in by the API server', async () => {
    await kubectl(['apply', '-f', '-'], budget(`${valid}\n  timeZone: Europe/Paris`));
    await kubectl(['apply', '--dry-run=server', '-f', '-'], budget(`${valid}\n  enforcement: Soft\n  alertThresholds: [100, 150]\n  alertRecipients: [ap@acme.example]`));
    const obj = JSON.parse(await kubectl(['get', 'budget', 'b', '-n', ns, '-o', 'json'])) as { spec: Record<string, unknown> };
    expect(obj.spec).toMatchObject({ enforcement: 'Hard', alertThresholds: [80, 100], timeZone: 'Europe/Paris' });
    await kubectl(['delete', 'budget', 'b', '-n', ns, '--wait=false']);
  });

  it('ModelPolicy patterns and Team emails are validated too', async () => {
    const policy = `apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: p, namespace: ${ns} }
spec:
  target: { teams: [eng] }
  allow: ["not a pattern"]`;
    expect(await kubectlFails(['apply', '-f', '-'], policy)).toContain('spec.allow[0]');
    const team = `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: t, namespace: ${ns} }
spec:
  members: [{ email: not-an-email }]`;
    expect(await kubectlFails(['apply', '-f', '-'], team)).toContain('spec.members[0].email');
  });
});
