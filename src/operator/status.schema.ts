// What the operator writes into `status`, as a schema: the CRDs' status (what `kubectl
// explain budget.status` prints) is generated from it, and the Kinds' status types are
// derived from it. The API server prunes whatever this schema does not name.
import { z } from 'zod';

/** metav1.Condition, field for field, with its validation (so tools that know it read ours). */
export const conditionSchema = z
  .object({
    type: z
      .string()
      .max(316)
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/)
      .describe('Ready (the spec is enforced by the gateways), Reconciling (the operator is working or retrying) or Stalled (a change to this resource, or to what it names, is needed).'),
    status: z.enum(['True', 'False', 'Unknown']).describe('True, False or Unknown.'),
    observedGeneration: z.number().int().min(0).optional().describe('metadata.generation this condition was computed from.'),
    lastTransitionTime: z.iso.datetime().describe('When status last changed (RFC 3339).'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('Why, in one CamelCase word: Reconciled, MissingTeam, InvalidSpec, ReconcileError.'),
    message: z.string().max(32768).describe('What happened, for a person; may be empty.'),
  })
  .describe('One aspect of the state of the resource (metav1.Condition).');

const commonStatus = {
  observedGeneration: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'metadata.generation the operator last acted on. 0 until an operator has seen the resource, so that kstatus (Flux, kubectl wait) and the Argo CD health check report it in progress, not ready; lower than metadata.generation while a change is not yet taken into account.',
    ),
  conditions: z
    .array(conditionSchema)
    .max(8)
    .optional()
    .describe('Ready, Reconciling and Stalled (kstatus conventions), one of each, written by the operator.'),
};

const usd = (description: string) => z.string().max(32).describe(description);
const percent = (description: string) => z.number().int().min(0).describe(description);

// Fields added after v1alpha1's first release are optional: an operator of the previous
// release, still running while the CRDs are upgraded, must keep passing validation.
export const budgetPeriodSchema = z
  .object({
    start: z.iso.datetime().describe('Start of the window containing now: local midnight in spec.timeZone, written in UTC.'),
    end: z.iso.datetime().describe('End of that window (exclusive), in UTC.'),
    spent: usd('US dollars spent in this window over all wallets of the budget, rounded to cents.'),
    spentExact: usd('The same, exact (9 decimals: Stipend counts nano-dollars).'),
    limit: usd('The cap of this window in US dollars, rounded to cents: spec.amount on Shared, spec.amount x members on PerMember.'),
    limitExact: usd('The same, exact (9 decimals).').optional(),
    percentUsed: percent('spent / limit in percent, floored. On PerMember that of the whole tier; members meet their own cap earlier (maxWalletPercentUsed). Soft budgets may pass 100.'),
    maxWalletPercentUsed: percent(
      'Percent used of the fullest wallet, floored: the one wallet on Shared, the member closest to their amount on PerMember, who is the first to be refused (HTTP 402). What `kubectl get budgets` shows as MAX USED %.',
    ).optional(),
    members: z.number().int().min(0).optional().describe('PerMember: people the target matches now (each has, or gets on first use, a wallet).'),
    maxMemberPercentUsed: percent('PerMember: percent used by the fullest member (as maxWalletPercentUsed).').optional(),
  })
  .describe('Spend in the current window, from the wallets the gateways charge; refreshed about every 30 seconds.');

export const budgetStatusSchema = z
  .object({ ...commonStatus, period: budgetPeriodSchema.optional() })
  .default({ observedGeneration: 0 })
  .describe('Written by the operator (stipend operator); empty but for observedGeneration: 0 until one has seen this Budget.');

export const teamStatusSchema = z
  .object({ ...commonStatus, members: z.number().int().min(0).optional().describe('People in the team: declared members plus those memberSelector selects.') })
  .default({ observedGeneration: 0 })
  .describe('Written by the operator (stipend operator); empty but for observedGeneration: 0 until one has seen this Team.');

export const modelPolicyStatusSchema = z
  .object({
    ...commonStatus,
    allowCount: z.number().int().min(0).optional().describe('Number of spec.allow patterns.'),
    denyCount: z.number().int().min(0).optional().describe('Number of spec.deny patterns.'),
  })
  .default({ observedGeneration: 0 })
  .describe('Written by the operator (stipend operator); empty but for observedGeneration: 0 until one has seen this ModelPolicy.');

export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;
