import { z } from 'zod';
import { budgetSpecSchema, modelPolicySpecSchema, teamSpecSchema } from '../../policy/resource.schema.ts';
import { addRules, toStructural } from './json-schema-to-structural.ts';

// The CRDs are generated from the same zod schemas `stipend dev` validates with:
// one source of truth for the public contract. `stipend crds` prints them.

const TARGET_RULES = [
  { rule: '(has(self.teams) && size(self.teams) > 0) || (has(self.users) && size(self.users) > 0)', message: 'target must name at least one team or user' },
];
const LEVEL_RULES = [{ rule: '!has(self.min) || !has(self.max) || self.min <= self.max', message: 'jobLevels.min must be <= max' }];

function spec(schema: z.ZodType, withRules: (s: Record<string, unknown>) => void): Record<string, unknown> {
  const s = toStructural(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>);
  withRules(s);
  return s;
}

const teamSpec = () =>
  spec(teamSpecSchema, (s) => addRules(s, ['memberSelector', 'jobLevels'], LEVEL_RULES));

const budgetSpec = () =>
  spec(budgetSpecSchema, (s) => {
    addRules(s, ['target'], TARGET_RULES);
    addRules(s, ['target', 'jobLevels'], LEVEL_RULES);
    addRules(s, ['amount'], [{ rule: "self.matches('[1-9]')", message: 'amount must be positive' }]);
    // CEL has no time-zone list, but evaluating a timestamp in an unknown zone fails.
    addRules(s, [], [{ rule: "self.enforcement == 'Soft' || !has(self.alertThresholds) || self.alertThresholds.all(t, t <= 100)", message: 'alertThresholds above 100 need enforcement: Soft (a hard budget never passes 100 %)' }]);
    addRules(s, ['timeZone'], [{ rule: "timestamp('2026-01-01T00:00:00Z').getHours(self) >= 0", message: 'timeZone must be an IANA time zone such as America/New_York' }]);
  });

const modelPolicySpec = () =>
  spec(modelPolicySpecSchema, (s) => {
    addRules(s, ['target'], TARGET_RULES);
    addRules(s, ['target', 'jobLevels'], LEVEL_RULES);
  });

interface Column {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly priority?: number;
}

const READY: Column = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' };
const AGE: Column = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function crd(kind: string, plural: string, shortNames: string[], specSchema: Record<string, unknown>, columns: Column[]) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.stipend.dev` },
    spec: {
      group: 'stipend.dev',
      scope: 'Namespaced',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames, categories: ['stipend'] },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [...columns, READY, AGE],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: specSchema,
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  };
}

export function crdManifests() {
  return [
    crd('Team', 'teams', ['stteam'], teamSpec(), [
      { name: 'Cost Center', type: 'string', jsonPath: '.spec.costCenter' },
      { name: 'Members', type: 'integer', jsonPath: '.status.members' },
    ]),
    crd('Budget', 'budgets', ['stbudget'], budgetSpec(), [
      { name: 'Scope', type: 'string', jsonPath: '.spec.scope' },
      { name: 'Amount', type: 'string', jsonPath: '.spec.amount' },
      { name: 'Period', type: 'string', jsonPath: '.spec.period' },
      { name: 'Spent', type: 'string', jsonPath: '.status.period.spent' },
      { name: 'Used %', type: 'integer', jsonPath: '.status.period.percentUsed' },
    ]),
    crd('ModelPolicy', 'modelpolicies', ['stmp'], modelPolicySpec(), [
      { name: 'Allow', type: 'integer', jsonPath: '.status.allowCount' },
      { name: 'Deny', type: 'integer', jsonPath: '.status.denyCount', priority: 1 },
    ]),
  ];
}
