import { formatUsd } from '../../pricing/money.ts';
import { clientSettings } from './client-settings.ts';
import type { PortalData } from './portal-data.ts';

/** Every text that reaches HTML goes through this. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const usd = (nanos: bigint) => `$${formatUsd(nanos, 2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const day = (d: Date) => d.toISOString().slice(0, 10);
const minute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#fff;padding:14px 24px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center;justify-content:space-between}
header h1{margin:0;font-size:20px}header p{margin:2px 0 0;color:#94a3b8;font-size:13px}header a{color:#bfdbfe}
main{padding:18px 24px;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));max-width:1400px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px;min-width:0}section h2{font-size:15px;margin:0 0 8px}.wide{grid-column:1/-1}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #f1f5f9;vertical-align:top}td.num,th.num{text-align:right;white-space:nowrap}
.muted{color:#64748b;font-size:13px}.notice{grid-column:1/-1;background:#ecfdf5;border:1px solid #10b981;border-radius:8px;padding:12px 14px}
.error{grid-column:1/-1;background:#fef2f2;border:1px solid #ef4444;border-radius:8px;padding:12px 14px}
.key{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:14px;background:#0f172a;color:#f8fafc;padding:8px 10px;border-radius:6px;overflow-wrap:anywhere;user-select:all}
pre{background:#f1f5f9;padding:8px 10px;border-radius:6px;overflow-x:auto;font-size:12px;user-select:all}
form.inline{display:inline}button{font:inherit;font-size:13px;padding:4px 10px;border-radius:6px;border:1px solid #94a3b8;background:#fff;cursor:pointer}
button.primary{background:#2563eb;color:#fff;border-color:#2563eb}button.danger{color:#b91c1c;border-color:#fca5a5}
input[type=text]{font:inherit;font-size:13px;padding:4px 6px;border-radius:6px;border:1px solid #94a3b8}
details{border-top:1px solid #f1f5f9;padding:6px 0}summary{cursor:pointer;font-weight:600;font-size:14px}
.tag{display:inline-block;font-size:12px;padding:1px 6px;border-radius:9px;background:#e2e8f0;margin:1px}
`;

export const PORTAL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function layout(title: string, header: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${esc(title)} · Stipend</title><style>${STYLE}</style></head>
<body><header>${header}</header><main>${body}</main></body></html>`;
}

const csrfField = (csrf: string) => `<input type="hidden" name="csrf" value="${esc(csrf)}">`;

/** Signed out: one button to the company's sign-in. */
export function landingPage(message: string | null): string {
  return layout(
    'AI keys',
    '<div><h1>Stipend</h1><p>Your AI budget and API keys</p></div>',
    `${message ? `<div class="error" role="alert">${esc(message)}</div>` : ''}<section class="wide"><h2>Sign in</h2><p class="muted">Use your company account to see your budgets and manage your API keys.</p><p><a id="sign-in" href="/portal/login"><button type="button" class="primary">Sign in with SSO</button></a></p></section>`,
  );
}

/** An error a person can act on, in the page's own shape. */
export function messagePage(title: string, message: string, action: { readonly href: string; readonly label: string } | null = { href: '/portal', label: 'Back to the portal' }): string {
  return layout(title, `<div><h1>${esc(title)}</h1></div>`, `<div class="error" role="alert">${esc(message)}</div>${action ? `<section class="wide"><a href="${esc(action.href)}">${esc(action.label)}</a></section>` : ''}`);
}

export interface PortalView {
  readonly data: PortalData | null;
  readonly email: string;
  readonly name: string | null;
  readonly csrf: string;
  readonly gatewayUrl: string | null;
  readonly maxKeys: number;
  readonly adminAccess: 'admin' | 'read' | null;
  /** A key just created or rotated: shown this once. */
  readonly newKey?: { readonly key: string; readonly name: string | null; readonly rotated: boolean };
  readonly notice?: string;
  readonly error?: string;
}

export function portalPage(v: PortalView): string {
  const signOut = `<form class="inline" method="post" action="/portal/logout">${csrfField(v.csrf)}<button type="submit" id="sign-out">Sign out</button></form>`;
  const admin = v.adminAccess ? ` · <a href="/dashboard">Admin dashboard</a>${v.adminAccess === 'read' ? ' (read-only)' : ''}` : '';
  const header = `<div><h1>${esc(v.name ?? v.email)}</h1><p>${esc(v.email)}${admin}</p></div>${signOut}`;
  const parts: string[] = [];
  if (v.error) parts.push(`<div class="error" role="alert">${esc(v.error)}</div>`);
  if (v.notice) parts.push(`<div class="notice" role="status">${esc(v.notice)}</div>`);
  const d = v.data;
  if (!d) {
    parts.push(`<section class="wide"><h2>No budget yet</h2><p class="muted">You are signed in, but Stipend has no active person with the email ${esc(v.email)}. Ask your platform team to add you to a Team (or to provision you through SCIM).</p></section>`);
    return layout('AI keys', header, parts.join('\n'));
  }
  if (v.newKey) {
    parts.push(`<div class="notice" id="new-key"><h2>${v.newKey.rotated ? 'Your rotated key' : 'Your new key'}${v.newKey.name ? ` “${esc(v.newKey.name)}”` : ''}</h2>
<p>Copy it now: it is shown this once. Stipend keeps only its hash.${v.newKey.rotated ? ' The old key no longer works.' : ''}</p>
<div class="key" id="new-key-value">${esc(v.newKey.key)}</div></div>`);
  }
  if (d.person.suspendedAt) {
    parts.push(`<div class="error" role="alert">An admin suspended your access on ${esc(minute(d.person.suspendedAt))} UTC: your keys were revoked and you cannot create new ones. Ask your platform team.</div>`);
  }
  parts.push(budgetsSection(d));
  parts.push(keysSection(d, v));
  parts.push(settingsSection(d, v));
  parts.push(modelsSection(d));
  parts.push(requestsSection(d));
  return layout('AI keys', header, parts.join('\n'));
}

function budgetsSection(d: PortalData): string {
  if (d.budgets.length === 0) {
    return `<section id="budgets"><h2>Budgets</h2><p class="muted">No budget applies to you, so the gateway refuses your requests (402). Ask your platform team for a Budget.</p></section>`;
  }
  const rows = d.budgets
    .map(
      (b) =>
        `<tr><td>${esc(b.name)}<br><span class="muted">${b.scope === 'Shared' ? 'shared with your team' : 'yours'} · ${esc(b.period.toLowerCase())}${b.hard ? '' : ' · soft'}</span></td><td class="num">${esc(usd(b.spentNanos))}</td><td class="num">${esc(usd(b.remainingNanos))}</td><td class="num">${esc(usd(b.limitNanos))}</td><td>${esc(day(b.resetsAt))}</td></tr>`,
    )
    .join('');
  return `<section id="budgets"><h2>Budgets</h2><p class="muted">Teams: ${d.teams.map((t) => `<span class="tag">${esc(t)}</span>`).join(' ') || 'none'}</p><table><thead><tr><th>Budget</th><th class="num">Spent</th><th class="num">Remaining</th><th class="num">Limit</th><th>Resets</th></tr></thead><tbody>${rows}</tbody></table><p class="muted">Remaining excludes requests still in flight. Every wallet must have room: the tightest one decides.</p></section>`;
}

function keysSection(d: PortalData, v: PortalView): string {
  const active = d.keys.filter((k) => !k.revoked_at);
  const rows = d.keys
    .slice(0, 20)
    .map((k) => {
      const actions = k.revoked_at
        ? `<span class="muted">revoked ${esc(minute(new Date(k.revoked_at)))}</span>`
        : `<form class="inline" method="post" action="/portal/keys/${esc(String(k.id))}/rotate">${csrfField(v.csrf)}<button type="submit" data-action="rotate">Rotate</button></form> <form class="inline" method="post" action="/portal/keys/${esc(String(k.id))}/revoke">${csrfField(v.csrf)}<button type="submit" class="danger" data-action="revoke">Revoke</button></form>`;
      return `<tr data-key-id="${esc(String(k.id))}" data-status="${k.revoked_at ? 'revoked' : 'active'}"><td><code>${esc(k.key_prefix)}…</code></td><td>${esc(k.name ?? '')}</td><td>${esc(minute(new Date(k.created_at)))}</td><td>${actions}</td></tr>`;
    })
    .join('');
  const canCreate = !d.person.suspendedAt && active.length < v.maxKeys;
  const create = canCreate
    ? `<form method="post" action="/portal/keys" id="create-key">${csrfField(v.csrf)}<label>Name <input type="text" name="name" maxlength="64" placeholder="laptop"></label> <button type="submit" class="primary">Create key</button></form>`
    : `<p class="muted">${d.person.suspendedAt ? 'Key creation is suspended.' : `You have ${active.length} active keys, the most allowed (${v.maxKeys}): revoke one to create another.`}</p>`;
  return `<section id="keys"><h2>Your keys</h2>${create}${rows ? `<table><thead><tr><th>Key</th><th>Name</th><th>Created (UTC)</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">No keys yet.</p>'}<p class="muted">${active.length} of ${v.maxKeys} active. Rotating replaces a key at once; revoking stops it on every gateway within a second.</p></section>`;
}

function settingsSection(d: PortalData, v: PortalView): string {
  if (!v.gatewayUrl) return `<section id="settings"><h2>Client settings</h2><p class="muted">The gateway's address is not configured here (STIPEND_GATEWAY_PUBLIC_URL): ask your platform team for it.</p></section>`;
  const pick = (provider: string) => d.models.find((m) => m.provider === provider)?.model ?? null;
  const settings = clientSettings(v.gatewayUrl, v.newKey?.key ?? null, { openai: pick('openai'), anthropic: pick('anthropic') });
  return `<section id="settings" class="wide"><h2>Client settings</h2><p class="muted">Gateway: <code>${esc(v.gatewayUrl)}</code>${v.newKey ? ' · these include your new key' : ' · put your key where it says so'}</p>${settings
    .map((s) => `<details${s.id === 'openai' ? ' open' : ''} id="settings-${esc(s.id)}"><summary>${esc(s.title)}${s.file ? ` <span class="muted">${esc(s.file)}</span>` : ''}</summary><p class="muted">${esc(s.note)}</p><pre>${esc(s.text)}</pre></details>`)
    .join('')}</section>`;
}

function modelsSection(d: PortalData): string {
  const list = d.models.length ? d.models.map((m) => `<span class="tag">${esc(m.model)}</span>`).join(' ') : '<span class="muted">None: every request is refused (403).</span>';
  const rules = `${d.allow.length ? `Allowed: ${d.allow.map((p) => `<code>${esc(p)}</code>`).join(', ')}` : ''}${d.deny.length ? ` · denied: ${d.deny.map((p) => `<code>${esc(p)}</code>`).join(', ')}` : ''}`;
  return `<section id="models"><h2>Models you may call</h2><p class="muted">${rules}</p><p>${list}</p></section>`;
}

function requestsSection(d: PortalData): string {
  if (d.requests.length === 0) return `<section id="requests" class="wide"><h2>Recent requests</h2><p class="muted">None yet.</p></section>`;
  const rows = d.requests
    .map((r) => `<tr><td>${esc(minute(r.at))}</td><td>${esc(r.model)}</td><td>${esc(r.endpoint)}</td><td class="num">${r.tokens.toLocaleString('en-US')}</td><td class="num">$${esc(formatUsd(r.costNanos, 4))}</td><td>${esc(r.status)}${r.httpStatus && r.httpStatus >= 400 ? ` (${r.httpStatus})` : ''}</td></tr>`)
    .join('');
  return `<section id="requests" class="wide"><h2>Recent requests</h2><table><thead><tr><th>When (UTC)</th><th>Model</th><th>Endpoint</th><th class="num">Tokens</th><th class="num">Cost</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
