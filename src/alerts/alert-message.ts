import { formatUsd } from '../pricing/money.ts';
import { formatDollars, roundToCents } from '../reports/cents.ts';
import type { AlertDetails } from './alerts.repository.ts';
import type { RenderedMessage } from './outbox-dispatcher.ts';

// One message per alert goes to everyone it concerns: the person, team owners, finance and a
// shared chat channel. So it never says "your budget": it names whose budget it is.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (nanos: bigint) => formatDollars(roundToCents(nanos));
// Overages can be fractions of a cent: shown to the micro-dollar.
const formatUsd6 = (nanos: bigint) => `$${formatUsd(nanos, 6)}`;
const nanosOf = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : 0n);

function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** "Ada Lovelace (ada@acme.example)", "team Support", "teams Engineering, Product". */
export function whoseLabel(a: AlertDetails): string {
  if (a.personEmail) return a.personName ? `${a.personName} (${a.personEmail})` : a.personEmail;
  if (a.team) return `team ${a.team.displayName}`;
  const labels = a.budget?.teamLabels.length ? a.budget.teamLabels : (a.budget?.teams ?? []);
  if (labels.length) return `${labels.length > 1 ? 'teams' : 'team'} ${labels.join(', ')}`;
  return 'the budget\'s users';
}

/** Short name for subjects: "Ada Lovelace", "Team Support". */
function shortWho(a: AlertDetails): string {
  if (a.personEmail) return a.personName ?? a.personEmail;
  const w = whoseLabel(a);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function budgetLabel(a: AlertDetails): string {
  const b = a.budget;
  if (!b) return 'their month';
  const kind = b.scope === 'Shared' ? 'shared' : 'personal';
  return `the ${kind} ${b.period.toLowerCase()} ${b.enforcement.toLowerCase()} budget "${b.namespace}/${b.name}"`;
}

function windowText(a: AlertDetails): string {
  const tz = a.budget?.timeZone ?? (typeof a.details.timeZone === 'string' ? a.details.timeZone : 'UTC');
  const until = localDate(new Date(a.periodEnd.getTime() - 1), tz); // the end is exclusive
  return `${localDate(a.periodStart, tz)} – ${until} (${tz})`;
}

export interface AlertWords {
  readonly subject: string;
  readonly headline: string;
  readonly summary: string;
  readonly consequence: string;
}

/** The words of an alert, shared by email and webhook. Amounts: cents, half away from zero. */
export function describeAlert(a: AlertDetails): AlertWords {
  const who = whoseLabel(a);
  const short = shortWho(a);
  const budget = budgetLabel(a);
  const percent = a.limitNanos > 0n ? Number((a.spentNanos * 100n) / a.limitNanos) : 0;
  const ref = a.budget ? `${a.budget.namespace}/${a.budget.name}` : (a.team?.key ?? '');
  const hard = a.budget?.enforcement === 'Hard';
  switch (a.kind) {
    case 'threshold':
      return {
        subject: `[Stipend] ${short}: ${a.threshold}% of ${ref} used`,
        headline: `Budget alert: ${a.threshold}% used`,
        summary: `${who} has spent ${money(a.spentNanos)} of ${money(a.limitNanos)} (${percent}%) of ${budget} for ${windowText(a)}.`,
        consequence: hard
          ? percent >= 100
            ? 'New requests are refused until the period ends or the budget is raised.'
            : 'Requests will be refused once the budget is used up.'
          : percent >= 100
            ? 'This budget is soft: requests continue, and the overage is reported.'
            : 'This budget is soft: requests continue past it, and the overage is reported.',
      };
    case 'exhausted': {
      const remaining = nanosOf(a.details.remainingNanos);
      const reserved = nanosOf(a.details.reservedNanos);
      return {
        subject: `[Stipend] ${short}: ${ref} is exhausted — a request was refused`,
        headline: 'Budget exhausted: a request was refused',
        summary:
          `A request charged to ${who} was refused (HTTP 402): ${budget} has ${money(remaining > 0n ? remaining : 0n)} left of ${money(a.limitNanos)} ` +
          `(${money(a.spentNanos)} spent${reserved > 0n ? `, ${money(reserved)} held by requests in flight` : ''}), ` +
          `less than the request's worst case of ${money(nanosOf(a.details.estimateNanos))}. Period ${windowText(a)}.`,
        consequence: 'Requests that need more than what is left are refused until the period ends or the budget is raised. This alert is sent once per period.',
      };
    }
    case 'forecast': {
      const projected = nanosOf(a.details.projectedNanos);
      const rate = nanosOf(a.details.dailyRateNanos);
      const out = typeof a.details.runsOutAt === 'string' ? new Date(a.details.runsOutAt) : null;
      const tz = a.budget?.timeZone ?? (typeof a.details.timeZone === 'string' ? a.details.timeZone : 'UTC');
      const target = a.budget ? budget : `its budget for the month (${a.details.binding === 'Shared' ? 'the shared team cap' : 'the sum of its members\u2019 allowances'})`;
      return {
        subject: `[Stipend] ${short}: projected ${money(projected)} against ${money(a.limitNanos)}${ref ? ` (${ref})` : ''}`,
        headline: 'Forecast: projected to exceed the budget',
        summary:
          `At the pace of the last 7 days (${money(rate)} a day), ${who} is projected to spend ${money(projected)} by the end of ${windowText(a)}, ` +
          `above ${target} of ${money(a.limitNanos)}. Spent so far: ${money(a.spentNanos)}.` +
          (out ? ` At this pace the budget runs out around ${localDate(out, tz)}.` : ''),
        consequence: hard ? 'Once it is used up, requests are refused until the period ends.' : 'Spend past the budget is reported as overage.',
      };
    }
    case 'anomaly': {
      const median = nanosOf(a.details.medianNanos);
      const factor = median > 0n ? `${(Number((a.spentNanos * 10n) / median) / 10).toFixed(1)}×` : 'far above';
      const day = typeof a.details.day === 'string' ? a.details.day : localDate(a.periodStart, 'UTC');
      return {
        subject: `[Stipend] Unusual spend: ${short} spent ${money(a.spentNanos)} on ${day}`,
        headline: 'Unusual spend',
        summary:
          `${who} spent ${money(a.spentNanos)} on ${day}${a.details.partialDay ? ' (so far)' : ''}, ${factor} the median day of the previous ${String(a.details.windowDays ?? 14)} days ` +
          `(${money(median)}); the alert line was ${money(a.limitNanos)}.`,
        consequence: 'Worth a look: a loop, a leaked key or a new workload. Nothing was blocked by this alert.',
      };
    }
    case 'overage': {
      // Rare by construction: a provider reported more usage than the request could take.
      const over = nanosOf(a.details.overageNanos);
      const requestId = typeof a.details.requestId === 'string' ? a.details.requestId : '(unknown)';
      return {
        subject: `[Stipend] ${short}: a request cost ${formatUsd6(over)} more than was reserved on ${ref}`,
        headline: 'Budget overage: a request cost more than its reservation',
        summary:
          `Request ${requestId}, charged to ${who}, cost ${formatUsd6(over)} more than its reserved worst case: the provider reported more usage than the model's context window allows. ` +
          `It was charged in full. ${budget} now stands at ${money(a.spentNanos)} of ${money(a.limitNanos)} (${percent}%) for ${windowText(a)}.`,
        consequence:
          a.spentNanos > a.limitNanos
            ? 'The budget is over its limit: new requests are refused until the period ends or the budget is raised. This alert is sent once per period.'
            : 'The budget still has room; requests continue. This alert is sent once per period.',
      };
    }
    default:
      // Kinds added later (e.g. 'overage') still name whose budget it is and the amounts.
      return {
        subject: `[Stipend] ${short}: ${a.kind} alert${ref ? ` on ${ref}` : ''}`,
        headline: `Budget alert: ${a.kind}`,
        summary: `${who}: ${money(a.spentNanos)} spent against ${money(a.limitNanos)} on ${budget} for ${windowText(a)}.`,
        consequence: '',
      };
  }
}

export function renderAlert(a: AlertDetails): RenderedMessage {
  const d = describeAlert(a);
  const text = `${d.summary}\n${d.consequence}\n\n— Stipend`;
  const html = `<p><strong>${escapeHtml(d.summary)}</strong></p><p>${escapeHtml(d.consequence)}</p><p style="color:#666">— Stipend</p>`;
  return {
    email: { subject: d.subject, text, html },
    webhook: {
      text: `${d.subject}: ${d.summary}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: d.headline } },
        { type: 'section', text: { type: 'mrkdwn', text: `${d.summary}\n${d.consequence}`.trim() } },
      ],
    },
  };
}
