import { z } from 'zod';
import { isValidTimeZone } from '../../ledger/period.ts';
import { parseEnv } from '../parse-env.ts';

/** How exports are booked: accounts and ERP identifiers come from configuration (env). */
export const exportEnvSchema = z.object({
  STIPEND_REPORT_TIME_ZONE: z.string().default('UTC').refine(isValidTimeZone, 'must be an IANA time zone'),
  STIPEND_EXPENSE_ACCOUNT: z.string().min(1).default('6150 AI Services Expense'),
  STIPEND_LIABILITY_ACCOUNT: z.string().min(1).default('2150 Accrued AI Services'),
  STIPEND_NETSUITE_SUBSIDIARY: z.string().default(''),
  STIPEND_WORKDAY_COMPANY: z.string().default('COMPANY'),
  STIPEND_WORKDAY_JOURNAL_SOURCE: z.string().default('Stipend'),
  STIPEND_BILLING_ACCOUNT_ID: z.string().default('stipend'),
  STIPEND_BILLING_ACCOUNT_NAME: z.string().default('Stipend AI gateway'),
});

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
export function exportConfigFromEnv(env: NodeJS.ProcessEnv): ExportConfig {
  const e = parseEnv(exportEnvSchema, env);
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
