import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { deliveryEnv } from './delivery-config.schema.ts';
import { emailList, logLevel, timeZone, usdAmount } from './env-fields.ts';

/** What `stipend alerts` evaluates besides the threshold trigger. */
export const alertRulesEnv = {
  STIPEND_REPORT_TIME_ZONE: timeZone,
  /** Finance: receive every alert except thresholds below 100 % (docs/finance.md). */
  STIPEND_FINANCE_ALERT_EMAILS: emailList,
  STIPEND_FORECAST_MIN_DAYS: z.coerce.number().min(0).max(28).default(3),
  STIPEND_ANOMALY_FACTOR: z.coerce.number().min(1).max(100).default(3),
  STIPEND_ANOMALY_MIN_USD: usdAmount.default('50'),
  STIPEND_ALERTS_EVALUATE_MS: z.coerce.number().int().min(1000).default(300_000),
} as const;

export const alertRulesEnvSchema = z.object(alertRulesEnv);
export type AlertRulesEnv = z.infer<typeof alertRulesEnvSchema>;

/** `stipend alerts`. */
export const alertsEnvSchema = z.object({
  ...databaseEnv,
  ...deliveryEnv,
  ...alertRulesEnv,
  STIPEND_ALERTS_POLL_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: logLevel('info'),
});

export type AlertsEnv = z.infer<typeof alertsEnvSchema>;
