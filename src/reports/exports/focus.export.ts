// FOCUS (FinOps Open Cost and Usage Specification) 1.2 cost and usage CSV: every column the
// spec marks Mandatory, plus ChargeFrequency, consumption, sub-account (team), SkuId, Tags and
// x_-prefixed custom columns. One row per local day, team, person, provider, model and
// pricing status. Costs keep all nine decimals, so BilledCost sums to the ledger exactly.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { formatNanos } from '../../pricing/money.ts';
import { toCsv } from '../csv.ts';
import { monthWindow } from '../month-window.ts';
import { providerDisplayName, type ExportConfig } from './export-config.schema.ts';

export const FOCUS_MANDATORY = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost',
  'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
  'ServiceCategory', 'ServiceName',
] as const;

export const FOCUS_COLUMNS = [
  ...FOCUS_MANDATORY,
  'ChargeFrequency', 'ConsumedQuantity', 'ConsumedUnit', 'SubAccountId', 'SubAccountName', 'SkuId', 'Tags',
  'x_CostCenter', 'x_UserEmail', 'x_Model', 'x_PricingStatus', 'x_Requests', 'x_InputTokens', 'x_OutputTokens',
] as const;

interface FocusRow {
  day_start: Date;
  day_end: Date;
  team: string | null;
  cost_center: string | null;
  email: string | null;
  provider: string;
  model: string;
  pricing_status: string;
  requests: bigint;
  cost: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
}

export async function focusCsv(db: Db, month: string, config: ExportConfig): Promise<{ csv: string; totalNanos: bigint; rows: number }> {
  const w = monthWindow(month, config.timeZone);
  const tz = config.timeZone;
  const { rows } = await sql<FocusRow>`
    select (d at time zone ${tz}) as day_start, ((d + interval '1 day') at time zone ${tz}) as day_end,
           team, cost_center, email, provider, model, pricing_status, count(*) as requests,
           -- unpriced and usage_missing rows stay visible but cost nothing
           coalesce(sum(cost_nanos) filter (where pricing_status in ('priced', 'estimated')), 0)::bigint as cost,
           sum(input_tokens + cached_input_tokens + cache_write_tokens)::bigint as input_tokens,
           sum(output_tokens)::bigint as output_tokens
      from (select *, date_trunc('day', occurred_at at time zone ${tz}) as d from usage_events
             where occurred_at >= ${w.start} and occurred_at < ${w.end}) as e
     group by d, team, cost_center, email, provider, model, pricing_status
     order by d, team nulls last, email nulls last, provider, model, pricing_status`.execute(db);
  let totalNanos = 0n;
  const lines = rows.map((r) => {
    totalNanos += r.cost;
    const cost = formatNanos(r.cost);
    const tokens = r.input_tokens + r.output_tokens;
    const vendor = providerDisplayName(r.provider);
    return [
      cost,
      config.billingAccountId,
      config.billingAccountName,
      'USD',
      w.end.toISOString(),
      w.start.toISOString(),
      'Usage',
      '',
      `${r.model} tokens (${r.pricing_status})`,
      r.day_end.toISOString(),
      r.day_start.toISOString(),
      cost,
      cost,
      vendor,
      cost,
      tokens,
      'Tokens',
      vendor,
      vendor,
      'AI and Machine Learning',
      `${vendor} API`,
      'Usage-Based',
      tokens,
      'Tokens',
      r.team ?? '',
      r.team ?? '',
      `${r.provider}/${r.model}`,
      JSON.stringify({ team: r.team, costCenter: r.cost_center, user: r.email }),
      r.cost_center ?? '',
      r.email ?? '',
      r.model,
      r.pricing_status,
      r.requests,
      r.input_tokens,
      r.output_tokens,
    ];
  });
  return { csv: toCsv(FOCUS_COLUMNS, lines), totalNanos, rows: lines.length };
}
