import { formatCents, formatNanos } from './cents.ts';
import { toCsv } from './csv.ts';
import type { Dimension } from './spend-report.repository.ts';
import type { SpendLine, SpendReport } from './spend-report.ts';

const ROUNDING =
  'Amounts are exact in nano-dollars (spendNanos). spend (USD): each month (and each month\'s adjustments for late rows of closed months) ' +
  'is rounded to the nearest cent once, halves away from zero, and a range is the sum of its months; lines of one dimension get cents by ' +
  'largest remainder, so they sum exactly to the total. Closed months use their stored figures. Only priced and estimated rows count.';

function lineJson(l: SpendLine) {
  return {
    key: l.key,
    label: l.label,
    spend: formatCents(l.spendCents),
    spendNanos: l.spendNanos.toString(),
    spendExact: formatNanos(l.spendNanos),
    estimatedNanos: l.estimatedNanos.toString(),
    requests: l.counts,
    inputTokens: l.inputTokens.toString(),
    outputTokens: l.outputTokens.toString(),
  };
}

/** JSON-safe: bigints as strings. `only` limits the groups to one dimension. */
export function spendReportJson(report: SpendReport, only?: Dimension) {
  const groups = Object.fromEntries(
    Object.entries(report.groups)
      .filter(([dimension]) => !only || dimension === only)
      .map(([dimension, lines]) => [dimension, lines.map(lineJson)]),
  );
  return {
    currency: 'USD',
    from: report.range.from,
    to: report.range.to,
    timeZone: report.range.timeZone,
    rounding: ROUNDING,
    closedMonths: report.closedMonths,
    total: lineJson(report.total),
    adjustments: lineJson(report.adjustments),
    pricingStatus: {
      counted: ['priced', 'estimated'],
      requests: report.total.counts,
    },
    groups,
  };
}

const HEADER = ['key', 'label', 'spend_usd', 'spend_nanos', 'requests_priced', 'requests_estimated', 'requests_unpriced', 'requests_usage_missing', 'input_tokens', 'output_tokens'];

/** One dimension as CSV, a final TOTAL row that the lines sum to. */
export function spendReportCsv(report: SpendReport, dimension: Dimension): string {
  const row = (l: SpendLine) => [
    l.key,
    l.label,
    formatCents(l.spendCents),
    l.spendNanos,
    l.counts.priced,
    l.counts.estimated,
    l.counts.unpriced,
    l.counts.usage_missing,
    l.inputTokens,
    l.outputTokens,
  ];
  const total = report.total;
  return toCsv([dimension === 'day' ? 'date' : dimension, ...HEADER.slice(1)], [...report.groups[dimension].map(row), ['TOTAL', ...row(total).slice(1)]]);
}
