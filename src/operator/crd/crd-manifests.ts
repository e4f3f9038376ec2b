import { z } from 'zod';
import { budgetSpecSchema, modelPolicySpecSchema, teamSpecSchema } from '../../policy/resource.schema.ts';
import { budgetStatusSchema, modelPolicyStatusSchema, teamStatusSchema } from '../status.schema.ts';
import { addRules, listType, patternToRule, toStructural, type Json, type Rule } from './json-schema-to-structural.ts';

// The CRDs are generated from the same zod schemas `stipend dev` validates with (spec) and
// the operator writes (status): one source of truth for the public contract, descriptions
// included. `stipend crds` prints them. What JSON Schema cannot say is added here: list
// semantics and CEL rules, each with a message a person can act on.

const has = (field: string) => `(has(self.${field}) && size(self.${field}) > 0)`;
const TARGET_RULES: Rule[] = [{ rule: `${has('teams')} || ${has('users')}`, message: 'target must name at least one team or user' }];
const LEVEL_RULES: Rule[] = [{ rule: '!has(self.min) || !has(self.max) || self.min <= self.max', message: 'jobLevels.min must be <= max' }];

// The amount's rules apply one at a time: a malformed amount gets one message, not three.
const AMOUNT_SHAPE = "'^(0|[1-9][0-9]*)([.][0-9]{1,9})?$'";
const AMOUNT_RULES: Rule[] = [
  {
    rule: `self.matches(${AMOUNT_SHAPE})`,
    messageExpression: `'amount "' + self + '" must be a decimal string of US dollars with at most 9 decimals, e.g. "1500.00"'`,
  },
  { rule: `!self.matches(${AMOUNT_SHAPE}) || self.matches('[1-9]')`, message: 'amount must be positive' },
  { rule: `!self.matches(${AMOUNT_SHAPE}) || !self.matches('^[0-9]{10}')`, message: 'amount must be below 1000000000 (one billion US dollars per period)' },
];
// CEL has no time-zone list, but evaluating a timestamp in an unknown zone fails; the API
// server then reports "unknown time zone X evaluating rule: <message>" (a messageExpression
// would not be evaluated on that path, so a plain message).
const TIME_ZONE_RULES: Rule[] = [
  { rule: "timestamp('2026-01-01T00:00:00Z').getHours(self) >= 0", message: 'timeZone must be an IANA time zone such as America/New_York, Europe/Paris or UTC' },
];

function structural(schema: z.ZodType): Json {
  return toStructural(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Json);
}

/** The parts every kind's spec shares: a target (Budget, ModelPolicy). */
function target(s: Json): void {
  addRules(s, ['target'], TARGET_RULES);
  addRules(s, ['target', 'jobLevels'], LEVEL_RULES);
  listType(s, ['target', 'teams'], 'set');
  listType(s, ['target', 'users'], 'set');
}

function teamSpec(): Json {
  const s = structural(teamSpecSchema);
  addRules(s, [], [
    {
      rule: `has(self.displayName) || has(self.costCenter) || ${has('owners')} || ${has('members')} || has(self.memberSelector) || ${has('serviceAccounts')}`,
      message: 'a Team needs at least one of members, memberSelector, serviceAccounts, owners, costCenter or displayName (an empty spec is a mistake)',
    },
  ]);
  addRules(s, ['memberSelector'], [
    {
      rule: 'has(self.department) || has(self.title) || has(self.costCenter) || has(self.division) || has(self.employeeType) || has(self.groups) || (has(self.jobLevels) && (has(self.jobLevels.min) || has(self.jobLevels.max)))',
      message: 'memberSelector must name a department, title, costCenter, division, employeeType, groups or a jobLevels bound (an empty selector would select nobody, jobLevels: {} everybody)',
    },
  ]);
  addRules(s, ['memberSelector', 'jobLevels'], LEVEL_RULES);
  listType(s, ['memberSelector', 'groups'], 'set');
  listType(s, ['owners'], 'set');
  listType(s, ['members'], { mapKeys: ['email'] });
  listType(s, ['serviceAccounts'], { mapKeys: ['name'] });
  return s;
}

function budgetSpec(): Json {
  const s = structural(budgetSpecSchema);
  target(s);
  patternToRule(s, ['amount'], AMOUNT_RULES[0]!);
  addRules(s, ['amount'], AMOUNT_RULES.slice(1));
  addRules(s, ['timeZone'], TIME_ZONE_RULES);
  addRules(s, [], [
    {
      rule: "self.enforcement == 'Soft' || !has(self.alertThresholds) || self.alertThresholds.all(t, t <= 100)",
      message: 'alertThresholds above 100 need enforcement: Soft (a hard budget never passes 100 %)',
    },
  ]);
  listType(s, ['alertThresholds'], 'set');
  listType(s, ['alertRecipients'], 'set');
  return s;
}

function modelPolicySpec(): Json {
  const s = structural(modelPolicySpecSchema);
  target(s);
  addRules(s, [], [{ rule: `${has('allow')} || ${has('deny')}`, message: 'a ModelPolicy must allow or deny at least one provider/model pattern' }]);
  listType(s, ['allow'], 'set');
  listType(s, ['deny'], 'set');
  return s;
}

function status(schema: z.ZodType): Json {
  const s = structural(schema);
  listType(s, ['conditions'], { mapKeys: ['type'] });
  return s;
}

interface Column {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description: string;
  /** 1: only with `-o wide`. */
  readonly priority?: number;
}

const ready = (kind: string): Column[] => [
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: `True when the gateways enforce this ${kind}; empty until an operator has seen it.` },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason', description: 'Why (Reconciled, MissingTeam, InvalidSpec, ReconcileError).' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation.' },
];

function crd(kind: string, plural: string, shortNames: string[], description: string, spec: Json, statusSchema: Json, columns: Column[]) {
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
          additionalPrinterColumns: [...columns, ...ready(kind)],
          schema: {
            openAPIV3Schema: {
              description,
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string', description: 'stipend.dev/v1alpha1.' },
                kind: { type: 'string', description: `${kind}.` },
                metadata: { type: 'object' },
                spec,
                status: statusSchema,
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
    crd(
      'Team',
      'teams',
      ['stteam'],
      'A Stipend Team: people (declared, or selected among those SCIM or an HRIS provisioned) with a cost center and owners, targeted by Budgets and ModelPolicies of its namespace.',
      teamSpec(),
      status(teamStatusSchema),
      [
        { name: 'Cost Center', type: 'string', jsonPath: '.spec.costCenter', description: 'Cost center spend is booked to.' },
        { name: 'Members', type: 'integer', jsonPath: '.status.members', description: 'Declared plus selected members.' },
        { name: 'Display Name', type: 'string', jsonPath: '.spec.displayName', description: 'Human-readable name.', priority: 1 },
      ],
    ),
    crd(
      'Budget',
      'budgets',
      ['stbudget'],
      'A Stipend Budget: how much the people it targets may spend on AI per day, week or month, enforced by the gateways before a request reaches a provider.',
      budgetSpec(),
      status(budgetStatusSchema),
      [
        { name: 'Scope', type: 'string', jsonPath: '.spec.scope', description: 'PerMember (a wallet each) or Shared (one wallet).' },
        { name: 'Amount', type: 'string', jsonPath: '.spec.amount', description: 'US dollars per period; per member on PerMember.' },
        { name: 'Period', type: 'string', jsonPath: '.spec.period', description: 'Daily, Weekly or Monthly.' },
        { name: 'Spent', type: 'string', jsonPath: '.status.period.spentExact', description: 'Exact US dollars spent this period over all wallets.' },
        { name: 'Max Used %', type: 'integer', jsonPath: '.status.period.maxWalletPercentUsed', description: 'Percent used of the fullest wallet: the Shared one, or the fullest member on PerMember.' },
        { name: 'Limit', type: 'string', jsonPath: '.status.period.limitExact', description: 'Cap of this period: amount, times members on PerMember.', priority: 1 },
        { name: 'Members', type: 'integer', jsonPath: '.status.period.members', description: 'PerMember: people the target matches.', priority: 1 },
        { name: 'Total %', type: 'integer', jsonPath: '.status.period.percentUsed', description: 'Spent of the limit, in percent.', priority: 1 },
        { name: 'Enforcement', type: 'string', jsonPath: '.spec.enforcement', description: 'Hard (402 when full) or Soft (alerts only).', priority: 1 },
      ],
    ),
    crd(
      'ModelPolicy',
      'modelpolicies',
      ['stmp'],
      'A Stipend ModelPolicy: which provider/model patterns the people it targets may call (deny wins; nothing is allowed unless a policy allows it), and per-person rate limits.',
      modelPolicySpec(),
      status(modelPolicyStatusSchema),
      [
        { name: 'Allow', type: 'integer', jsonPath: '.status.allowCount', description: 'Allowed patterns.' },
        { name: 'Deny', type: 'integer', jsonPath: '.status.denyCount', description: 'Denied patterns.' },
      ],
    ),
  ];
}
