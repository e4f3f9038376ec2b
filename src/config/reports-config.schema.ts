import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { deliveryEnv } from './delivery-config.schema.ts';
import { logLevel, timeZone } from './env-fields.ts';

/** The files `stipend report export` writes and the monthly report attaches. */
export const EXPORT_FORMATS = ['netsuite', 'quickbooks', 'workday', 'focus'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How exports are booked: accounts and ERP identifiers come from configuration. */
export const exportEnv = {
  STIPEND_REPORT_TIME_ZONE: timeZone,
  STIPEND_EXPENSE_ACCOUNT: z.string().min(1).default('6150 AI Services Expense'),
  STIPEND_LIABILITY_ACCOUNT: z.string().min(1).default('2150 Accrued AI Services'),
  STIPEND_NETSUITE_SUBSIDIARY: z.string().default(''),
  STIPEND_WORKDAY_COMPANY: z.string().default('COMPANY'),
  STIPEND_WORKDAY_JOURNAL_SOURCE: z.string().default('Stipend'),
  STIPEND_BILLING_ACCOUNT_ID: z.string().default('stipend'),
  STIPEND_BILLING_ACCOUNT_NAME: z.string().default('Stipend AI gateway'),
} as const;

export const exportEnvSchema = z.object(exportEnv);
export type ExportEnv = z.infer<typeof exportEnvSchema>;

/** Who gets the monthly report and what it carries. */
export const monthlyReportEnv = {
  STIPEND_REPORT_EMAIL_TO: z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  STIPEND_REPORT_WEBHOOK_URL: z.string().url().optional(),
  STIPEND_REPORT_EXPORT_FORMATS: z
    .string()
    .default('netsuite,focus')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EXPORT_FORMATS))),
  /** Linked from the monthly email. */
  STIPEND_DASHBOARD_URL: z.string().url().optional(),
} as const;

/** `stipend report` (spend, export, monthly). */
export const reportEnvSchema = z.object({
  ...databaseEnv,
  ...exportEnv,
  ...monthlyReportEnv,
  ...deliveryEnv,
  LOG_LEVEL: logLevel('info'),
});

export type ReportEnv = z.infer<typeof reportEnvSchema>;
