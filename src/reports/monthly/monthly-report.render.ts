import type { RenderedMessage } from '../../alerts/outbox-dispatcher.ts';
import type { EmailAttachment } from '../../alerts/senders.ts';
import { formatCents, formatDollars, roundToCents } from '../cents.ts';
import { toCsv } from '../csv.ts';
import { providerDisplayName } from '../exports/export-config.schema.ts';
import type { MonthSummary } from './month-summary.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const monthName = (month: string) =>
  new Date(`${month}-15T00:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Presentation figures: team and provider lines get cents by largest remainder so they sum to the total. */
export function presentSummary(s: MonthSummary) {
  const change = s.previous.changePercent;
  return {
    title: `AI spend report — ${monthName(s.month)}`,
    total: formatDollars(s.spentCents),
    adjustments: s.adjustments.cents > 0n ? formatDollars(s.adjustments.cents) : null,
    budget: formatDollars(roundToCents(s.budgetNanos)),
    remaining: formatDollars(roundToCents(s.remainingNanos)),
    hardOverage: formatDollars(roundToCents(s.overage.hardNanos)),
    softOverage: formatDollars(roundToCents(s.overage.softNanos)),
    change: change === null ? 'n/a (no spend last month)' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}% vs ${monthName(s.previous.month)}`,
    teams: s.teams.map((t) => ({
      ...t,
      spent: formatDollars(t.spentCents),
      budget: t.budgetNanos > 0n ? formatDollars(roundToCents(t.budgetNanos)) : '—',
      percentText: t.percent === null ? '—' : `${t.percent.toFixed(1)}%`,
    })),
    providers: s.providers.map((p) => ({ name: providerDisplayName(p.provider), spent: formatDollars(p.spentCents), cents: p.spentCents })),
  };
}

export function teamSummaryCsv(s: MonthSummary): string {
  const p = presentSummary(s);
  return toCsv(
    ['month', 'team', 'display_name', 'cost_center', 'spent_usd', 'budget_usd', 'percent_used', 'status', 'spent_nanos'],
    [
      ...p.teams.map((t) => [s.month, t.team, t.label, t.costCenter, formatCents(t.spentCents), t.budgetNanos > 0n ? formatCents(roundToCents(t.budgetNanos)) : '', t.percent ?? '', t.status, t.spentNanos]),
      [s.month, 'TOTAL', '', '', formatCents(s.spentCents), formatCents(roundToCents(s.budgetNanos)), '', '', s.spentNanos],
    ],
  );
}

export function renderMonthlyReport(s: MonthSummary, chartPng: Buffer | null, attachments: readonly EmailAttachment[], dashboardUrl?: string): RenderedMessage {
  const p = presentSummary(s);
  const kpis: [string, string][] = [
    ['Total spent', p.total],
    ...(p.adjustments ? ([['Of which late usage of closed months', p.adjustments]] as [string, string][]) : []),
    ['Budget', p.budget],
    ['Remaining', p.remaining],
    ['Overage on hard budgets', p.hardOverage],
    ['Overage on soft budgets', p.softOverage],
    ['Active employees', String(s.activeEmployees)],
    ['Change', p.change],
  ];
  const ledger = s.chain
    ? `Ledger: ${s.chain.seq} rows when this report was made, chain head SHA-256 ${s.chain.hash} (stipend audit verify proves them unchanged).`
    : '';
  const quality = `Requests: ${s.requests.priced ?? 0} priced, ${s.requests.estimated ?? 0} estimated, ${s.requests.unpriced ?? 0} unpriced, ${s.requests.usage_missing ?? 0} without usage (only priced and estimated count).`;
  const color = (status: string) => (status === 'Over' ? '#b91c1c' : status === 'Near limit' ? '#b45309' : '#15803d');
  const cell = 'padding:4px 10px;border-bottom:1px solid #e5e7eb';
  const td = `style="${cell}"`;
  const html = `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#111827">
<h2>${esc(p.title)}</h2>
<table>${kpis.map(([k, v]) => `<tr><td ${td}>${esc(k)}</td><td ${td}><strong>${esc(v)}</strong></td></tr>`).join('')}</table>
${chartPng ? '<p><img src="cid:spend-chart" alt="Spend vs budget per team" width="720"></p>' : ''}
<h3>Teams</h3>
<table><tr><th ${td}>Team</th><th ${td}>Cost center</th><th ${td}>Spent</th><th ${td}>Budget</th><th ${td}>Used</th><th ${td}>Status</th></tr>
${p.teams.map((t) => `<tr><td ${td}>${esc(t.label)}</td><td ${td}>${esc(t.costCenter ?? '')}</td><td ${td}>${t.spent}</td><td ${td}>${t.budget}</td><td ${td}>${t.percentText}</td><td style="${cell};color:${color(t.status)}">${t.status}</td></tr>`).join('\n')}
</table>
<h3>Providers</h3>
<table>${p.providers.map((x) => `<tr><td ${td}>${esc(x.name)}</td><td ${td}>${x.spent}</td></tr>`).join('')}</table>
<p style="color:#6b7280">${esc(quality)} Amounts are rounded to cents (half away from zero); line items are allocated by largest remainder so they add up to the total. The CSV exports are attached.${dashboardUrl ? ` Dashboard: <a href="${esc(dashboardUrl)}">${esc(dashboardUrl)}</a>` : ''}</p>
${ledger ? `<p style="color:#6b7280;font-size:12px">${esc(ledger)}</p>` : ''}
</body></html>`;
  const text = [
    p.title,
    '',
    ...kpis.map(([k, v]) => `${k}: ${v}`),
    '',
    'Teams:',
    ...p.teams.map((t) => `  ${t.label}: ${t.spent} of ${t.budget} (${t.percentText}) — ${t.status}`),
    '',
    'Providers:',
    ...p.providers.map((x) => `  ${x.name}: ${x.spent}`),
    '',
    quality,
    ...(ledger ? [ledger] : []),
  ].join('\n');
  const images: EmailAttachment[] = chartPng ? [{ filename: 'spend-chart.png', content: chartPng, contentType: 'image/png', cid: 'spend-chart' }] : [];
  return {
    email: { subject: p.title, text, html, attachments: [...images, ...attachments] },
    webhook: {
      text: `${p.title}: ${p.total} spent of ${p.budget} (${p.change}); hard-budget overage ${p.hardOverage}.`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: p.title } },
        { type: 'section', fields: kpis.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
        { type: 'section', text: { type: 'mrkdwn', text: p.teams.map((t) => `• *${t.label}*: ${t.spent} of ${t.budget} (${t.percentText}) — ${t.status}`).join('\n') || 'No team spend.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: quality }] },
      ],
    },
  };
}
