import { exportEnvSchema, type ExportEnv } from '../../config/reports-config.schema.ts';
import { parseEnv, type Env } from '../../config/parse-env.ts';

export interface ExportConfig {
  readonly timeZone: string;
  readonly expenseAccount: string;
  readonly liabilityAccount: string;
  readonly netsuiteSubsidiary: string;
  readonly workdayCompany: string;
  readonly workdayJournalSource: string;
  readonly billingAccountId: string;
  readonly billingAccountName: string;
}

/** Throws ConfigError naming the variable when a value is invalid. */
export function exportConfigFromEnv(env: Env): ExportConfig {
  return exportConfigFrom(parseEnv(exportEnvSchema, env));
}

/** The booking configuration of config/reports-config.schema.ts's export variables. */
export function exportConfigFrom(e: ExportEnv): ExportConfig {
  return {
    timeZone: e.STIPEND_REPORT_TIME_ZONE,
    expenseAccount: e.STIPEND_EXPENSE_ACCOUNT,
    liabilityAccount: e.STIPEND_LIABILITY_ACCOUNT,
    netsuiteSubsidiary: e.STIPEND_NETSUITE_SUBSIDIARY,
    workdayCompany: e.STIPEND_WORKDAY_COMPANY,
    workdayJournalSource: e.STIPEND_WORKDAY_JOURNAL_SOURCE,
    billingAccountId: e.STIPEND_BILLING_ACCOUNT_ID,
    billingAccountName: e.STIPEND_BILLING_ACCOUNT_NAME,
  };
}

export const DEFAULT_EXPORT_CONFIG: ExportConfig = exportConfigFromEnv({});

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  gemini: 'Google',
  azure: 'Microsoft',
  'azure-openai': 'Microsoft',
};

export function providerDisplayName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}
