// The CRDs come from the zod schemas, document every field, and the API server enforces what
// zod says — with messages a platform engineer can act on.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { budgetPeriodStatus } from '../../src/operator/budget-period.ts';
import { conditionsFor } from '../../src/operator/conditions.ts';
import { crdManifests } from '../../src/operator/crd/crd-manifests.ts';
import { undescribed, type Json } from '../../src/operator/crd/json-schema-to-structural.ts';
import { crdFiles } from '../../src/operator/crd/write-crds.ts';
import { kubectl, kubectlFails, uniqueNamespace, until } from './kube-helpers.ts';

const crdDir = new URL('../../crds', import.meta.url).pathname;

describe('crds/ drift', () => {
  it('crds/ is exactly what `npm run crds` generates from the zod schemas', () => {
    const generated = crdFiles();
    const committed = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect(readFileSync(`${crdDir}/${name}`, 'utf8'), `${name} drifted: run npm run crds`).toBe(text);
  });

  it('every spec and status field has a description (what kubectl explain prints)', () => {
    for (const crd of crdManifests()) {
      const schema = crd.spec.versions[0]!.schema.openAPIV3Schema as Json & { properties: Record<string, Json> };
      expect(schema.description, crd.metadata.name).toMatch(/^A Stipend \w+: /);
      expect(undescribed({ properties: { spec: schema.properties.spec!, status: schema.properties.status! } }), crd.metadata.name).toEqual([]);
      expect(crd.spec.versions[0]!.additionalPrinterColumns.every((c) => c.description.length > 0)).toBe(true);
    }
  });
});

describe('on the API server', () => {
  const ns = uniqueNamespace('crd');
  beforeAll(async () => {
    await kubectl(['apply', '-f', crdDir]);
    await kubectl(['wait', '--for=condition=Established', 'crd/budgets.stipend.dev', 'crd/teams.stipend.dev', 'crd/modelpolicies.stipend.dev']);
    await kubectl(['create', 'namespace', ns]);
  });

  const doc = (kind: string, name: string, spec: string, extra = '') => `apiVersion: stipend.dev/v1alpha1\nkind: ${kind}\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}${extra}`;
  const budget = (spec: string) => doc('Budget', 'b', spec);
  const valid = '  target: { teams: [eng] }\n  scope: Shared\n  amount: "10"\n  period: Daily';

  describe('kubectl explain documents spec and status', () => {
    /** kubectl explain's text with its line wrapping undone. */
    const explain = async (path: string) => (await kubectl(['explain', path])).replace(/\s+/g, ' ');

    it('budget.spec.target, budget.status.conditions (metav1.Condition), the period fields', async () => {
      // The published OpenAPI follows the CRD by a moment.
      const target = await until('the CRD in the OpenAPI document', async () => {
        const out = await kubectl(['explain', 'budget.spec.target']);
        return out.includes('Who this applies to') ? out : null;
      }, 30_000, 250);
      expect(target).toMatch(/teams\s+<\[\]string>\s+Teams \(of this namespace\) whose members are targeted/);
      expect(target).toMatch(/users\s+<\[\]string>\s+People targeted directly by email/);
      const conditions = await kubectl(['explain', 'budget.status.conditions']);
      for (const field of ['lastTransitionTime', 'message', 'reason', 'status', 'type']) expect(conditions).toMatch(new RegExp(`${field}\\s+<string> -required-`));
      expect(conditions.replace(/\s+/g, ' ')).toContain('Ready (the spec is enforced by the gateways)');
      expect(await explain('budget.status.observedGeneration')).toContain('0 until an operator has seen the resource');
      expect(await explain('budget.status.period.maxWalletPercentUsed')).toContain('the member closest to their amount on PerMember');
      expect(await explain('team.spec.members')).toContain('keyed by email');
      expect(await explain('modelpolicy.spec.deny')).toContain('deny wins');
    });
  });

  describe('the API server rejects invalid resources with a message that says what to change', () => {
    it.each([
      ['no team or user', budget(valid.replace('teams: [eng]', 'teams: []')), 'target must name at least one team or user'],
      ['jobLevels min > max', budget(valid.replace('teams: [eng]', 'teams: [eng], jobLevels: { min: 5, max: 2 }')), 'jobLevels.min must be <= max'],
      ['threshold below 1', budget(`${valid}\n  alertThresholds: [0, 100]`), 'should be greater than or equal to 1'],
      ['threshold above 1000', budget(`${valid}\n  enforcement: Soft\n  alertThresholds: [100, 1001]`), 'should be less than or equal to 1000'],
      ['threshold above 100 on a hard budget', budget(`${valid}\n  alertThresholds: [80, 150]`), 'alertThresholds above 100 need enforcement: Soft'],
      ['zero amount', budget(valid.replace('"10"', '"0.00"')), 'spec.amount: Invalid value: "0.00": amount must be positive'],
      ['too many decimals', budget(valid.replace('"10"', '"1.0000000001"')), 'amount "1.0000000001" must be a decimal string of US dollars with at most 9 decimals, e.g. "1500.00"'],
      ['a billion dollars', budget(valid.replace('"10"', '"1000000000"')), 'amount must be below 1000000000 (one billion US dollars per period)'],
      ['unknown time zone', budget(`${valid}\n  timeZone: Mars/Olympus`), 'unknown time zone Mars/Olympus evaluating rule: timeZone must be an IANA time zone such as America/New_York'],
      ['wrong type', budget(valid.replace('"10"', '10')), 'spec.amount in body must be of type string'],
      ['unknown field', budget(`${valid}\n  surprise: 1`), 'unknown field "spec.surprise"'],
      ['a team twice', budget(valid.replace('teams: [eng]', 'teams: [eng, ops, eng]')), 'spec.target.teams[2]: Duplicate value: "eng"'],
      ['a user twice', budget(valid.replace('teams: [eng]', 'users: [ada@acme.example, ada@acme.example]')), 'spec.target.users[1]: Duplicate value: "ada@acme.example"'],
      ['a threshold twice', budget(`${valid}\n  alertThresholds: [80, 80]`), 'spec.alertThresholds[1]: Duplicate value: 80'],
      ['21 thresholds', budget(`${valid}\n  alertThresholds: [${Array.from({ length: 21 }, (_, i) => i + 1).join(', ')}]`), 'spec.alertThresholds: Too many: 21: must have at most 20 items'],
      ['a recipient twice', budget(`${valid}\n  alertRecipients: [ap@acme.example, ap@acme.example]`), 'spec.alertRecipients[1]: Duplicate value: "ap@acme.example"'],
      ['an empty Budget', doc('Budget', 'b', '  {}'), 'spec.amount: Required value'],
      ['no spec at all', `apiVersion: stipend.dev/v1alpha1\nkind: Budget\nmetadata: { name: b, namespace: ${ns} }\n`, 'spec: Required value'],
      ['an empty Team', doc('Team', 't', '  {}'), 'a Team needs at least one of members, memberSelector, serviceAccounts, owners, costCenter or displayName (an empty spec is a mistake)'],
      ['a member twice', doc('Team', 't', '  members: [{ email: ada@acme.example }, { email: ada@acme.example, name: Ada }]'), 'spec.members[1]: Duplicate value: {"email":"ada@acme.example"}'],
      ['an empty memberSelector', doc('Team', 't', '  memberSelector: {}'), 'memberSelector must name a department, title, costCenter, division, employeeType, groups or a jobLevels bound'],
      ['a selector group twice', doc('Team', 't', '  memberSelector: { groups: [AI Pilot, AI Pilot] }'), 'spec.memberSelector.groups[1]: Duplicate value: "AI Pilot"'],
      ['a selector of every job level', doc('Team', 't', '  memberSelector: { jobLevels: {} }'), 'jobLevels: {} everybody'],
      ['a member who is not an email', doc('Team', 't', '  members: [{ email: not-an-email }]'), 'spec.members[0].email'],
      ['a ModelPolicy with no pattern', doc('ModelPolicy', 'p', '  target: { teams: [eng] }'), 'a ModelPolicy must allow or deny at least one provider/model pattern'],
      ['a pattern twice', doc('ModelPolicy', 'p', '  target: { teams: [eng] }\n  allow: ["openai/*", "openai/*"]'), 'spec.allow[1]: Duplicate value: "openai/*"'],
      ['not a provider/model pattern', doc('ModelPolicy', 'p', '  target: { teams: [eng] }\n  allow: ["not a pattern"]'), 'spec.allow[0]'],
    ])('%s', async (_name, manifest, message) => {
      expect(await kubectlFails(['apply', '-f', '-'], manifest)).toContain(message);
    });

    it('a malformed amount gets one message, not one per rule', async () => {
      const out = await kubectlFails(['apply', '-f', '-'], budget(valid.replace('"10"', '"ten"')));
      expect(out).toContain('amount "ten" must be a decimal string of US dollars');
      expect(out).not.toContain('must be positive');
    });

    it('accepts a valid one, with defaults filled in by the API server; a cost-center-only Team and a deny-only policy too', async () => {
      await kubectl(['apply', '-f', '-'], budget(`${valid}\n  timeZone: Europe/Paris`));
      await kubectl(['apply', '--dry-run=server', '-f', '-'], budget(`${valid}\n  enforcement: Soft\n  alertThresholds: [100, 150]\n  alertRecipients: [ap@acme.example]`));
      const obj = JSON.parse(await kubectl(['get', 'budget', 'b', '-n', ns, '-o', 'json'])) as { spec: Record<string, unknown> };
      expect(obj.spec).toMatchObject({ enforcement: 'Hard', alertThresholds: [80, 100], timeZone: 'Europe/Paris' });
      await kubectl(['delete', 'budget', 'b', '-n', ns, '--wait=false']);
      await kubectl(['apply', '-f', '-'], [doc('Team', 'bots', '  costCenter: CC-BOTS-001'), doc('ModelPolicy', 'no-o1', '  target: { teams: [bots] }\n  deny: ["openai/o1-pro*"]')].join('\n---\n'));
      // Selectors on SCIM attributes (issue 10): any one of them names the selector.
      await kubectl(['apply', '--dry-run=server', '-f', '-'], doc('Team', 'pilot', '  memberSelector: { groups: [AI Pilot], costCenter: CC-ENG-001, division: EMEA, employeeType: Contractor }'));
    });
  });

  describe('status belongs to the operator', () => {
    it('an object no operator has seen reads observedGeneration 0; a status in the manifest is dropped on create', async () => {
      const fake = '\nstatus: { observedGeneration: 1, conditions: [{ type: Ready, status: "True", reason: Reconciled, message: fake, lastTransitionTime: "2026-01-01T00:00:00Z" }] }';
      await kubectl(['apply', '-f', '-'], [
        doc('Team', 'unseen', '  displayName: Unseen'),
        doc('Budget', 'unseen', valid, fake),
        doc('ModelPolicy', 'unseen', '  target: { teams: [unseen] }\n  allow: ["openai/*"]'),
      ].join('\n---\n'));
      for (const kind of ['team', 'budget', 'modelpolicy']) {
        const obj = JSON.parse(await kubectl(['get', kind, 'unseen', '-n', ns, '-o', 'json'])) as { metadata: { generation: number }; status: unknown };
        expect(obj.metadata.generation, kind).toBe(1);
        expect(obj.status, kind).toEqual({ observedGeneration: 0 });
      }
    });

    it('what the operator writes survives the status schema whole, and kubectl get shows the fullest member, exact amounts and the reason', async () => {
      const window = { start: new Date('2026-03-01T05:00:00Z'), end: new Date('2026-04-01T04:00:00Z') };
      const usd = (n: string) => BigInt(n.replace('.', '')) * 10_000_000n; // 2 decimals → nano-dollars
      const period = budgetPeriodStatus({ scope: 'PerMember', amountNanos: usd('200.00'), window, walletSpends: [usd('150.00') + 7n, usd('10.00')], members: 4 });
      const conditions = conditionsFor({ ready: true, reason: 'Reconciled', message: 'budget enforced by the gateways' }, 1);
      const statuses: [string, string, Record<string, unknown>][] = [
        ['budget', doc('Budget', 'tier', '  target: { teams: [eng] }\n  scope: PerMember\n  amount: "200.00"\n  period: Monthly'), { observedGeneration: 1, conditions, period }],
        ['team', doc('Team', 'eng', '  costCenter: CC-ENG-001\n  members: [{ email: ada@acme.example }]'), { observedGeneration: 1, conditions, members: 1 }],
        ['modelpolicy', doc('ModelPolicy', 'eng', '  target: { teams: [eng] }\n  allow: ["openai/*"]\n  deny: ["openai/o1*", "openai/o3*"]'), { observedGeneration: 1, conditions, allowCount: 1, denyCount: 2 }],
      ];
      for (const [kind, manifest, status] of statuses) {
        await kubectl(['apply', '-f', '-'], manifest);
        const name = kind === 'budget' ? 'tier' : 'eng';
        await kubectl(['patch', kind, name, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
        const obj = JSON.parse(await kubectl(['get', kind, name, '-n', ns, '-o', 'json'])) as { status: unknown };
        expect(obj.status, kind).toEqual(status); // nothing pruned, nothing added
      }
      const [header, row] = (await kubectl(['get', 'budget', 'tier', '-n', ns])).trim().split('\n');
      expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'SCOPE', 'AMOUNT', 'PERIOD', 'SPENT', 'MAX USED %', 'READY', 'REASON', 'AGE']);
      // 160.000000007 spent of 4 × 200; the fullest member is at 75 % (the tier at 20 %).
      expect(row).toMatch(/^tier\s+PerMember\s+200\.00\s+Monthly\s+160\.000000007\s+75\s+True\s+Reconciled\s+\S+$/);
      const [wideHeader, wideRow] = (await kubectl(['get', 'budget', 'tier', '-n', ns, '-o', 'wide'])).trim().split('\n');
      expect(wideHeader!.split(/\s{2,}/)).toEqual(['NAME', 'SCOPE', 'AMOUNT', 'PERIOD', 'SPENT', 'MAX USED %', 'LIMIT', 'MEMBERS', 'TOTAL %', 'ENFORCEMENT', 'READY', 'REASON', 'AGE']);
      expect(wideRow).toMatch(/^tier\s+PerMember\s+200\.00\s+Monthly\s+160\.000000007\s+75\s+800\.000000000\s+4\s+20\s+Hard\s+True\s+Reconciled\s+\S+$/);
      expect((await kubectl(['get', 'modelpolicy', 'eng', '-n', ns])).trim().split('\n')[1]).toMatch(/^eng\s+1\s+2\s+True\s+Reconciled\s+\S+$/);
      expect((await kubectl(['get', 'team', 'eng', '-n', ns])).trim().split('\n')[1]).toMatch(/^eng\s+CC-ENG-001\s+1\s+True\s+Reconciled\s+\S+$/);
    });
  });
});
