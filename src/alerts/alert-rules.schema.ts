import { z } from 'zod';
import { isValidTimeZone } from '../ledger/period.ts';
import { parseUsd } from '../pricing/money.ts';
import type { AnomalyRule } from '../reports/forecast.ts';

const emailList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
  .refine((list) => list.every((e) => z.string().email().safeParse(e).success), 'must be comma-separated email addresses');

/** What `stipend alerts` evaluates besides the threshold trigger (env). */
export const alertRulesEnvSchema = z.object({
  STIPEND_REPORT_TIME_ZONE: z.string().default('UTC').refine(isValidTimeZone, 'must be an IANA time zone'),
  /** Finance: receive every alert except thresholds below 100 % (docs/finance.md). */
  STIPEND_FINANCE_ALERT_EMAILS: emailList,
  STIPEND_FORECAST_MIN_DAYS: z.coerce.number().min(0).max(28).default(3),
  STIPEND_ANOMALY_FACTOR: z.coerce.number().min(1).max(100).default(3),
  STIPEND_ANOMALY_MIN_USD: z.string().regex(/^\d+(\.\d{1,9})?$/, 'must be a decimal amount in USD').default('50'),
  STIPEND_ALERTS_EVALUATE_MS: z.coerce.number().int().min(1000).default(300_000),
});

export interface AlertRules {
  readonly timeZone: string;
  readonly financeRecipients: readonly string[];
  readonly forecastMinDays: number;
  readonly anomaly: AnomalyRule;
}

export function alertRulesFrom(env: z.infer<typeof alertRulesEnvSchema>): AlertRules {
  return {
    timeZone: env.STIPEND_REPORT_TIME_ZONE,
    financeRecipients: env.STIPEND_FINANCE_ALERT_EMAILS,
    forecastMinDays: env.STIPEND_FORECAST_MIN_DAYS,
    anomaly: { factor: env.STIPEND_ANOMALY_FACTOR, floorNanos: parseUsd(env.STIPEND_ANOMALY_MIN_USD), windowDays: 14, minHistoryDays: 7 },
  };
}
