import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { deliveryEnv } from './delivery-config.schema.ts';
import { logLevel, timeZone } from './env-fields.ts';

/** The files `stipend report export` writes and the monthly report attaches. */
export const EXPORT_FORMATS = ['netsuite', 'quickbooks', 'workday', 'focus'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const DAY_MS = 86_400_000;

/** How the books are kept: the month's time zone, the GL mapping file, FOCUS billing account, period close. */
export const exportEnv = {
  STIPEND_REPORT_TIME_ZONE: timeZone,
  /** The GL mapping (YAML): accounts, dimensions, date formats and memos per ERP. */
  STIPEND_GL_MAPPING_FILE: z.string().min(1).optional(),
  /** Pricing overrides (the gateway's): FOCUS list prices and the portal's models come from the same catalog. */
  STIPEND_PRICING_FILE: z.string().min(1).optional(),
  STIPEND_BILLING_ACCOUNT_ID: z.string().min(1).default('stipend'),
  STIPEND_BILLING_ACCOUNT_NAME: z.string().min(1).default('Stipend AI gateway'),
  /** A month may be closed this long after it ended; longer than the reservation deadline. */
  STIPEND_CLOSE_GRACE_MS: z.coerce.number().int().positive().default(DAY_MS),
  STIPEND_RESERVATION_TTL_MS: z.coerce.number().int().positive().default(900_000),
} as const;

/** A request reserved before a month ended may settle until its deadline: the close must wait longer. */
export function closeGraceAfterDeadline(e: { readonly STIPEND_CLOSE_GRACE_MS: number; readonly STIPEND_RESERVATION_TTL_MS: number }, ctx: z.RefinementCtx): void {
  if (e.STIPEND_CLOSE_GRACE_MS > e.STIPEND_RESERVATION_TTL_MS) return;
  ctx.addIssue({
    code: 'custom',
    path: ['STIPEND_CLOSE_GRACE_MS'],
    message: 'must be longer than STIPEND_RESERVATION_TTL_MS: a request reserved before the month ended may settle until its deadline',
  });
}

export const exportEnvSchema = z.object(exportEnv).superRefine(closeGraceAfterDeadline);
export type ExportEnv = z.infer<typeof exportEnvSchema>;

/** Who gets the monthly report and what it carries. */
export const monthlyReportEnv = {
  STIPEND_REPORT_EMAIL_TO: z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  STIPEND_REPORT_WEBHOOK_URL: z.string().url().optional(),
  /** Unset: FOCUS and the journal of every ERP the GL mapping declares. */
  STIPEND_REPORT_EXPORT_FORMATS: z
    .string()
    .optional()
    .transform((s) => s?.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EXPORT_FORMATS)).optional()),
  /** Linked from the monthly email. */
  STIPEND_DASHBOARD_URL: z.string().url().optional(),
} as const;

/** `stipend report` (spend, export, monthly). */
export const reportEnvSchema = z
  .object({
    ...databaseEnv,
    ...exportEnv,
    ...monthlyReportEnv,
    ...deliveryEnv,
    LOG_LEVEL: logLevel('info'),
  })
  .superRefine(closeGraceAfterDeadline);

export type ReportEnv = z.infer<typeof reportEnvSchema>;
