// The custom resources (stipend.dev/v1alpha1) are the public contract: the operator
// reads them from the cluster, `stipend dev` from a folder. One schema serves both, and
// the CRDs are generated from it (src/operator/crd/): every `.describe()` here is what
// `kubectl explain` prints, every `.max()` a limit the API server enforces too.
import { z } from 'zod';
import { isValidTimeZone } from '../ledger/period.ts';

export const API_VERSION = 'stipend.dev/v1alpha1';

/** Limits shared by zod and the CRDs (the API server also needs them to bound CEL costs). */
export const LIMITS = {
  targetTeams: 50,
  targetUsers: 1000,
  members: 5000,
  serviceAccounts: 100,
  owners: 50,
  patterns: 200,
  thresholds: 20,
  text: 256,
  email: 254,
} as const;

const dnsName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label').max(63);
const email = z.string().max(LIMITS.email).email().transform((value) => value.toLowerCase());
const text = (description: string) => z.string().max(LIMITS.text).describe(description);

/** Refinement: no value twice in a list (after normalisation, e.g. lower-cased emails). */
const noDuplicates =
  <T>(what: string, keyOf: (item: T) => string | number = (item) => item as string | number) =>
  (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string | number>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${what} ${JSON.stringify(key)}` });
      seen.add(key);
    });
  };

export const metadataSchema = z.object({
  name: dnsName,
  namespace: dnsName.default('default'),
  generation: z.number().int().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  finalizers: z.array(z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const jobLevelsSchema = z
  .strictObject({
    min: z.number().int().min(0).optional().describe('Lowest job level included (inclusive). Omit for no lower bound.'),
    max: z.number().int().min(0).optional().describe('Highest job level included (inclusive). Omit for no upper bound.'),
  })
  .refine((l) => l.min === undefined || l.max === undefined || l.min <= l.max, 'jobLevels.min must be <= max');

const targetFields = {
  teams: z
    .array(dnsName.describe('Name of a Team in the same namespace.'))
    .max(LIMITS.targetTeams)
    .superRefine(noDuplicates('team'))
    .default([])
    .describe('Teams (of this namespace) whose members are targeted, filtered by jobLevels when given.'),
  users: z
    .array(email.describe('Email address of a person (matched case-insensitively).'))
    .max(LIMITS.targetUsers)
    .superRefine(noDuplicates('user'))
    .default([])
    .describe('People targeted directly by email, whatever their teams and job level.'),
  jobLevels: jobLevelsSchema
    .optional()
    .describe('Only members of `teams` whose job level is in this range (inclusive). People without a job level never match a range.'),
};
const targetDescription =
  'Who this applies to: people whose email is in `users`, or members of one of `teams` whose job level is within `jobLevels`. Names at least one team or user.';

export const targetSchema = z
  .strictObject(targetFields)
  .refine((t) => t.teams.length > 0 || t.users.length > 0, 'target must name at least one team or user')
  .describe(targetDescription);

/**
 * A target as stored in Postgres, possibly by an earlier version: parsed without the list
 * limits and duplicate checks the schema gained later, so that an old row never breaks the
 * gateway's policy compile.
 */
export const storedTargetSchema = z
  .strictObject({
    teams: z.array(z.string()).default([]),
    users: z.array(z.string().transform((value) => value.toLowerCase())).default([]),
    jobLevels: jobLevelsSchema.optional(),
  })
  .refine((t) => t.teams.length > 0 || t.users.length > 0, 'target must name at least one team or user');

export const memberSchema = z.strictObject({
  email: email.describe('Email address: the identity of the person in Stipend (keys, SSO, reports). Unique within the list, case-insensitively.'),
  name: text('Display name, shown in reports and the dashboard.').optional(),
  jobLevel: z.number().int().min(0).optional().describe('Job level, matched by Budget and ModelPolicy `target.jobLevels`.'),
  department: text('Department, as an HR system would name it.').optional(),
  title: text('Job title.').optional(),
});

/**
 * People provisioned from a directory (SCIM, HRIS) join a team by their attributes. Every
 * field given must match. Semantics live in one SQL function
 * (src/policy/sql/stipend_selector_matches.sql), used when a Team is applied and when a
 * person changes.
 */
export const memberSelectorSchema = z
  .strictObject({
    department: text('People whose department is exactly this.').optional(),
    title: text('People whose job title is exactly this.').optional(),
    jobLevels: jobLevelsSchema.optional().describe('People whose job level is in this range (inclusive).'),
    costCenter: text('People whose cost center (SCIM enterprise costCenter) is exactly this.').min(1).optional(),
    division: text('People whose division (SCIM enterprise division) is exactly this.').min(1).optional(),
    employeeType: text('People whose employee type (SCIM userType: Employee, Contractor, Intern, …) is exactly this.').min(1).optional(),
    groups: z
      .array(text('displayName of a directory group (SCIM Group), compared case-insensitively.').min(1))
      .min(1)
      .max(100)
      .optional()
      .describe('People who are members of at least one of these directory groups (SCIM Groups pushed by the IdP).'),
  })
  .refine(
    (s) =>
      s.department !== undefined ||
      s.title !== undefined ||
      s.jobLevels?.min !== undefined ||
      s.jobLevels?.max !== undefined ||
      s.costCenter !== undefined ||
      s.division !== undefined ||
      s.employeeType !== undefined ||
      s.groups !== undefined,
    'memberSelector must name a department, title, costCenter, division, employeeType, groups or a jobLevels bound (an empty selector would select nobody, jobLevels: {} everybody)',
  );

export const serviceAccountSchema = z.strictObject({
  name: dnsName.describe('Name of the service account, unique within the team (a DNS label, e.g. ci-bot). Keys are made for it with `stipend keys create --service <namespace>/<team>/<name>`.'),
  description: text('What uses it (shown to admins).').optional(),
  jobLevel: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Places it in a tier: Budgets and ModelPolicies of this team with a jobLevels range apply when this level is in it. Without one, only the team's targets without a range apply."),
});

export const teamSpecSchema = z
  .strictObject({
    displayName: text('Human-readable name shown in reports and the dashboard.').optional(),
    costCenter: z.string().max(64).optional().describe('Cost center that spend of this team is booked to in finance exports, e.g. CC-ENG-001.'),
    owners: z
      .array(email.describe('Email address of an owner.'))
      .max(LIMITS.owners)
      .superRefine(noDuplicates('owner'))
      .default([])
      .describe('People who receive the alerts of Shared budgets targeting this team (emails).'),
    members: z
      .array(memberSchema)
      .max(LIMITS.members)
      .superRefine(noDuplicates('member email', (m: { email: string }) => m.email))
      .default([])
      .describe('People declared in YAML (keyed by email; server-side apply merges by email). People provisioned by SCIM or an HRIS join through memberSelector instead.'),
    memberSelector: memberSelectorSchema
      .optional()
      .describe('Also makes members of the people provisioned by SCIM or an HRIS whose attributes all match. Names at least one attribute.'),
    serviceAccounts: z
      .array(serviceAccountSchema)
      .max(LIMITS.serviceAccounts)
      .superRefine(noDuplicates('service account', (a: { name: string }) => a.name))
      .default([])
      .describe("Keys the team owns for bots and shared tools (CI, an internal app). They spend from the team's Shared budgets (PerMember budgets do not apply), are limited by the ModelPolicies targeting the team, and the ledger names the key on every request. No key material here: an admin creates keys, shown once. Removing one revokes its keys."),
  })
  .refine(
    (t) => t.displayName !== undefined || t.costCenter !== undefined || t.owners.length > 0 || t.members.length > 0 || t.memberSelector !== undefined || t.serviceAccounts.length > 0,
    'a Team needs at least one of members, memberSelector, serviceAccounts, owners, costCenter or displayName (an empty spec is a mistake)',
  )
  .describe('A group of people: declared members and/or those a memberSelector picks among people provisioned by SCIM or an HRIS. Budgets and ModelPolicies of this namespace target it by name.');

export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]{1,9})?$/;
/** Below $1e9 per period: amount x 1e9 nano-dollars (x members) stays far inside a Postgres bigint. */
export const MAX_AMOUNT_INTEGER_DIGITS = 9;
export const AMOUNT_MESSAGE = 'amount must be a positive decimal string of US dollars with at most 9 decimals, e.g. "1500.00"';

/** Thresholds above 100 % only make sense where spend can pass the limit: soft budgets. */
export const MAX_SOFT_THRESHOLD = 1000;

export const budgetSpecSchema = z
  .strictObject({
    target: targetSchema,
    scope: z
      .enum(['PerMember', 'Shared'])
      .describe('PerMember: every targeted person gets their own wallet of `amount` (a role tier). Shared: one wallet of `amount` for the whole target (a team limit).'),
    amount: z
      .string()
      .max(32)
      .regex(AMOUNT_PATTERN, AMOUNT_MESSAGE)
      .refine((a) => /[1-9]/.test(a), 'amount must be positive')
      .refine((a) => a.split('.')[0]!.length <= MAX_AMOUNT_INTEGER_DIGITS, 'amount must be below 1000000000 (one billion US dollars per period)')
      .describe('US dollars per period, a decimal string with up to 9 decimals (quoted in YAML: "1500.00"). Per member on PerMember budgets.'),
    period: z
      .enum(['Daily', 'Weekly', 'Monthly'])
      .describe('Length of a budget window. Windows start at local midnight in timeZone (weeks on Monday, months on the 1st); spend starts from zero in each.'),
    timeZone: z
      .string()
      .max(64)
      .default('UTC')
      .refine(isValidTimeZone, 'timeZone must be an IANA time zone such as America/New_York')
      .describe('IANA time zone the windows are cut in (DST-correct), e.g. America/New_York. Default UTC.'),
    enforcement: z
      .enum(['Hard', 'Soft'])
      .default('Hard')
      .describe('Hard: a request that would not fit is refused (HTTP 402) before it reaches the provider. Soft: requests pass, alerts still fire.'),
    alertThresholds: z
      .array(z.number().int().min(1).max(MAX_SOFT_THRESHOLD).describe('Percent of the amount used; above 100 on Soft budgets only.'))
      .max(LIMITS.thresholds)
      .superRefine(noDuplicates('threshold'))
      .default([80, 100])
      .describe('Percentages of the amount at which the owners (Shared) or the person (PerMember) are alerted, once per window each. Above 100 (up to 1000) on Soft budgets only. Default [80, 100].'),
    alertRecipients: z
      .array(email.describe('Email address.'))
      .max(LIMITS.owners)
      .superRefine(noDuplicates('recipient'))
      .default([])
      .describe('Who else receives every alert of this budget, thresholds included (e.g. finance), besides its person or team owners.'),
  })
  .refine((b) => b.enforcement === 'Soft' || b.alertThresholds.every((t) => t <= 100), {
    message: 'alertThresholds above 100 need enforcement: Soft (a hard budget never passes 100 %)',
    path: ['alertThresholds'],
  })
  .describe('How much the target may spend per period, and whether the gateways refuse (Hard) or only alert (Soft) past it.');

const modelPattern = z
  .string()
  .max(LIMITS.text)
  .regex(/^[a-z0-9*?-]+\/[A-Za-z0-9._:*?-]+$/, 'must look like provider/model (globs allowed)')
  .describe('provider/model, with * and ? globs: openai/*, anthropic/claude-sonnet-*.');

export const modelPolicySpecSchema = z
  .strictObject({
    target: targetSchema,
    allow: z
      .array(modelPattern)
      .max(LIMITS.patterns)
      .superRefine(noDuplicates('pattern'))
      .default([])
      .describe('Models the target may call. Several policies matching one person add up their allows; a model no policy allows is refused (403).'),
    deny: z
      .array(modelPattern)
      .max(LIMITS.patterns)
      .superRefine(noDuplicates('pattern'))
      .default([])
      .describe('Models the target may not call, whatever any policy allows (deny wins).'),
    rateLimits: z
      .strictObject({
        requestsPerMinute: z.number().int().positive().optional().describe('Requests per minute per person, across every gateway replica.'),
        tokensPerMinute: z.number().int().positive().optional().describe('Tokens (input, cached and output, as the provider reports them) per minute per person, across every gateway replica.'),
      })
      .optional()
      .describe('Per-person rate limits; with several policies the strictest applies.'),
  })
  .refine((p) => p.allow.length > 0 || p.deny.length > 0, 'a ModelPolicy must allow or deny at least one provider/model pattern')
  .describe('Which models the target may call, and optional per-person rate limits. Deny wins over allow; a model no policy allows is refused.');

const resource = <K extends string, S extends z.ZodType>(kind: K, spec: S) =>
  z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(kind),
    metadata: metadataSchema,
    spec,
    status: z.unknown().optional(),
  });

export const teamSchema = resource('Team', teamSpecSchema);
export const budgetSchema = resource('Budget', budgetSpecSchema);
export const modelPolicySchema = resource('ModelPolicy', modelPolicySpecSchema);
export const stipendResourceSchema = z.discriminatedUnion('kind', [teamSchema, budgetSchema, modelPolicySchema]);

export type Target = z.infer<typeof targetSchema>;
export type TeamResource = z.infer<typeof teamSchema>;
export type BudgetResource = z.infer<typeof budgetSchema>;
export type ModelPolicyResource = z.infer<typeof modelPolicySchema>;
export type StipendResource = z.infer<typeof stipendResourceSchema>;
export type ResourceKind = StipendResource['kind'];
