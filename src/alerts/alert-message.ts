import { formatUsd } from '../pricing/money.ts';
import { formatDollars, roundToCents } from '../reports/cents.ts';
import type { AlertDetails } from './alerts.repository.ts';
import type { RenderedMessage } from './outbox-dispatcher.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The words of an alert, shared by email and webhook. Amounts: cents, half away from zero. */
export function describeAlert(a: AlertDetails) {
  const b = a.budget;
  const spentCents = roundToCents(a.spentNanos);
  const limitCents = roundToCents(a.limitNanos);
  const percent = a.limitNanos > 0n ? Number((a.spentNanos * 100n) / a.limitNanos) : 0;
  const budgetName = `${b.namespace}/${b.name}`;
  // The period end is exclusive: show the last day it covers.
  const until = localDate(new Date(a.periodEnd.getTime() - 1), b.timeZone);
  const window = `${localDate(a.periodStart, b.timeZone)} – ${until} (${b.timeZone})`;
  const whose = b.scope === 'Shared' ? `the shared ${b.period.toLowerCase()} budget of ${b.teams.join(', ') || 'its users'}` : `your ${b.period.toLowerCase()} AI budget`;
  const consequence =
    b.enforcement === 'Hard'
      ? percent >= 100
        ? 'New requests are refused until the period ends or the budget is raised.'
        : 'Requests will be refused once the budget is used up.'
      : 'This budget is soft: requests continue, and the overage is reported.';
  const greeting = a.personName ? `Hi ${a.personName.split(' ')[0]},` : 'Hello,';
  const spent = `${formatDollars(spentCents)} of ${formatDollars(limitCents)} (${percent}%) of ${whose} "${budgetName}" is spent for ${window}.`;
  if (a.kind === 'overage') {
    // Rare by construction: a provider reported more usage than the request could take.
    const over = `$${formatUsd(a.overageNanos ?? 0n, 6)}`;
    return {
      subject: `[Stipend] ${budgetName}: a request cost ${over} more than was reserved`,
      greeting,
      summary: `Request ${a.requestId ?? '(unknown)'} cost ${over} more than its reserved worst case: the provider reported more usage than the model's context window allows. It was charged in full. ${spent}`,
      consequence:
        a.spentNanos > a.limitNanos
          ? 'The budget is over its limit: new requests are refused until the period ends or the budget is raised.'
          : 'The budget still has room; requests continue.',
      percent,
    };
  }
  const subject = `[Stipend] ${budgetName}: ${a.threshold}% of ${b.scope === 'Shared' ? 'the team' : 'your'} budget used`;
  return { subject, greeting, summary: spent, consequence, percent };
}

export function renderAlert(a: AlertDetails): RenderedMessage {
  const d = describeAlert(a);
  const text = `${d.greeting}\n\n${d.summary}\n${d.consequence}\n\n— Stipend`;
  const html = `<p>${escapeHtml(d.greeting)}</p><p><strong>${escapeHtml(d.summary)}</strong></p><p>${escapeHtml(d.consequence)}</p><p style="color:#666">— Stipend</p>`;
  const mention = a.personEmail ? ` (${a.personEmail})` : '';
  return {
    email: { subject: d.subject, text, html },
    webhook: {
      text: `${d.subject}${mention}: ${d.summary}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: a.kind === 'overage' ? 'Budget alert: overage' : `Budget alert: ${a.threshold}% used` } },
        { type: 'section', text: { type: 'mrkdwn', text: `*${a.budget.namespace}/${a.budget.name}*${mention}\n${d.summary}\n${d.consequence}` } },
      ],
    },
  };
}
