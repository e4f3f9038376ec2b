// The custom resources (stipend.dev/v1alpha1) are the public contract: the operator
// reads them from the cluster, `stipend dev` from a folder. One schema serves both.
import { z } from 'zod';
import { isValidTimeZone } from '../ledger/period.ts';

export const API_VERSION = 'stipend.dev/v1alpha1';

const dnsName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label').max(63);
const email = z.string().email().transform((value) => value.toLowerCase());

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
  .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
  .refine((l) => l.min === undefined || l.max === undefined || l.min <= l.max, 'jobLevels.min must be <= max');

export const targetSchema = z
  .strictObject({
    teams: z.array(dnsName).default([]),
    users: z.array(email).default([]),
    jobLevels: jobLevelsSchema.optional(),
  })
  .refine((t) => t.teams.length > 0 || t.users.length > 0, 'target must name at least one team or user');

export const memberSchema = z.strictObject({
  email,
  name: z.string().optional(),
  jobLevel: z.number().int().min(0).optional(),
  department: z.string().optional(),
  title: z.string().optional(),
});

/**
 * People provisioned from a directory (SCIM, HRIS) join a team by their attributes. Every
 * field given must match; an empty selector selects nobody. Semantics live in one SQL
 * function (src/policy/sql/stipend_selector_matches.sql).
 */
export const memberSelectorSchema = z.strictObject({
  department: z.string().optional(),
  title: z.string().optional(),
  jobLevels: jobLevelsSchema.optional(),
  costCenter: z.string().min(1).optional(),
  division: z.string().min(1).optional(),
  /** SCIM `userType` (Employee, Contractor, Intern, …). */
  employeeType: z.string().min(1).optional(),
  /** Member of at least one of these directory (SCIM) groups, by displayName, case-insensitive. */
  groups: z.array(z.string().min(1)).min(1).max(100).optional(),
});

export const teamSpecSchema = z.strictObject({
  displayName: z.string().optional(),
  costCenter: z.string().optional(),
  owners: z.array(email).default([]),
  members: z.array(memberSchema).default([]),
  memberSelector: memberSelectorSchema.optional(),
});

export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]{1,9})?$/;

/** Thresholds above 100 % only make sense where spend can pass the limit: soft budgets. */
export const MAX_SOFT_THRESHOLD = 1000;

export const budgetSpecSchema = z
  .strictObject({
  target: targetSchema,
  scope: z.enum(['PerMember', 'Shared']),
  amount: z
    .string()
    .regex(AMOUNT_PATTERN, 'amount must be a decimal string with at most 9 decimals')
    .refine((a) => /[1-9]/.test(a), 'amount must be positive'),
  period: z.enum(['Daily', 'Weekly', 'Monthly']),
  timeZone: z.string().default('UTC').refine(isValidTimeZone, 'timeZone must be an IANA time zone'),
  enforcement: z.enum(['Hard', 'Soft']).default('Hard'),
  alertThresholds: z.array(z.number().int().min(1).max(MAX_SOFT_THRESHOLD)).max(20).default([80, 100]),
  /** Who else receives every alert of this budget (e.g. finance), besides its person or team owners. */
  alertRecipients: z.array(email).max(50).default([]),
})
  .refine((b) => b.enforcement === 'Soft' || b.alertThresholds.every((t) => t <= 100), {
    message: 'alertThresholds above 100 need enforcement: Soft (a hard budget never passes 100 %)',
    path: ['alertThresholds'],
  });

const modelPattern = z.string().regex(/^[a-z0-9*?-]+\/[A-Za-z0-9._:*?-]+$/, 'must look like provider/model (globs allowed)');

export const modelPolicySpecSchema = z.strictObject({
  target: targetSchema,
  allow: z.array(modelPattern).default([]),
  deny: z.array(modelPattern).default([]),
  rateLimits: z
    .strictObject({
      requestsPerMinute: z.number().int().positive().optional(),
      tokensPerMinute: z.number().int().positive().optional(),
    })
    .optional(),
});

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
