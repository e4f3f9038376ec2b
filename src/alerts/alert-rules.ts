import type { AlertRulesEnv } from '../config/alerts-config.schema.ts';
import { parseUsd } from '../pricing/money.ts';
import type { AnomalyRule } from '../reports/forecast.ts';

export interface AlertRules {
  readonly timeZone: string;
  readonly financeRecipients: readonly string[];
  readonly forecastMinDays: number;
  readonly anomaly: AnomalyRule;
}

/** The rules of config/alerts-config.schema.ts's variables. */
export function alertRulesFrom(env: AlertRulesEnv): AlertRules {
  return {
    timeZone: env.STIPEND_REPORT_TIME_ZONE,
    financeRecipients: env.STIPEND_FINANCE_ALERT_EMAILS,
    forecastMinDays: env.STIPEND_FORECAST_MIN_DAYS,
    anomaly: { factor: env.STIPEND_ANOMALY_FACTOR, floorNanos: parseUsd(env.STIPEND_ANOMALY_MIN_USD), windowDays: 14, minHistoryDays: 7 },
  };
}
