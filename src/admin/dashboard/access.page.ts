import type { AccessRow } from '../../keys/person-access.repository.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const minute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export interface AccessPageData {
  readonly q: string;
  readonly people: readonly AccessRow[];
  readonly limit: number;
  readonly services: readonly { readonly ref: string; readonly description: string | null; readonly active: boolean; readonly activeKeys: number }[];
  readonly audit: readonly { readonly id: bigint; readonly at: Date; readonly actor: string; readonly actor_kind: string; readonly action: string; readonly target: string | null; readonly outcome: string; readonly ip: string | null }[];
  readonly access: 'admin' | 'read';
  readonly actor: string;
  /** Cookie sessions post the CSRF token in a form field; Bearer/Basic need none. */
  readonly csrf: string | null;
  readonly notice: string | null;
}

export const ACCESS_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#fff;padding:14px 24px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center;justify-content:space-between}
header h1{margin:0;font-size:20px}header p{margin:2px 0 0;color:#94a3b8;font-size:13px}header a{color:#bfdbfe}
main{padding:18px 24px;display:grid;gap:16px}section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px;overflow-x:auto}section h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #f1f5f9;vertical-align:top}td.num{text-align:right}
.muted{color:#64748b;font-size:13px}.notice{background:#ecfdf5;border:1px solid #10b981;border-radius:8px;padding:10px 14px}
button{font:inherit;font-size:13px;padding:3px 9px;border-radius:6px;border:1px solid #94a3b8;background:#fff;cursor:pointer}button.danger{color:#b91c1c;border-color:#fca5a5}button[disabled]{opacity:.5;cursor:not-allowed}
input[type=search]{font:inherit;font-size:14px;padding:4px 6px;border-radius:6px;border:1px solid #94a3b8;min-width:260px}form.inline{display:inline}
.refused{color:#b91c1c}
`;

/** The access page: find a person, revoke every key in one click (optionally suspending them), see the audit log. */
export function accessPage(d: AccessPageData): string {
  const csrf = d.csrf ? `<input type="hidden" name="csrf" value="${esc(d.csrf)}">` : '';
  const readOnly = d.access !== 'admin';
  const disabled = readOnly ? ' disabled title="Read-only access"' : '';
  const people = d.people
    .map((p) => {
      const email = esc(p.email);
      const revoke = `<form class="inline" method="post" action="/dashboard/access/revoke">${csrf}<input type="hidden" name="email" value="${email}"><label class="muted"><input type="checkbox" name="suspend" value="on"${disabled}> and suspend</label> <button type="submit" class="danger" data-action="revoke-access"${disabled}>Revoke access</button></form>`;
      const restore = p.suspendedAt
        ? ` <form class="inline" method="post" action="/dashboard/access/restore">${csrf}<input type="hidden" name="email" value="${email}"><button type="submit" data-action="restore-access"${disabled}>Restore</button></form>`
        : '';
      const state = !p.active ? 'left (inactive)' : p.suspendedAt ? `suspended ${esc(minute(p.suspendedAt))} by ${esc(p.suspendedBy ?? '?')}` : 'active';
      return `<tr data-email="${email}"><td>${esc(p.name ?? '')}<br><span class="muted">${email}</span></td><td>${esc(p.teams ?? '')}</td><td class="num" data-keys>${p.activeKeys}</td><td>${state}</td><td>${revoke}${restore}</td></tr>`;
    })
    .join('');
  const services = d.services
    .map((s) => `<tr><td><code>${esc(s.ref)}</code></td><td>${esc(s.description ?? '')}</td><td class="num">${s.activeKeys}</td><td>${s.active ? 'declared' : 'removed from YAML'}</td></tr>`)
    .join('');
  const audit = d.audit
    .map((a) => `<tr${a.outcome === 'refused' ? ' class="refused"' : ''}><td>${esc(minute(a.at))}</td><td>${esc(a.actor)}<br><span class="muted">${esc(a.actor_kind)}${a.ip ? ` · ${esc(a.ip)}` : ''}</span></td><td>${esc(a.action)}</td><td>${esc(a.target ?? '')}</td><td>${esc(a.outcome)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>Access · Stipend</title><style>${STYLE}</style></head>
<body><header><div><h1>Access</h1><p>${esc(d.actor)} · ${d.access === 'admin' ? 'admin' : 'read-only'} · <a href="/dashboard">Spend dashboard</a></p></div>
<form method="get" action="/dashboard/access"><input type="search" name="q" value="${esc(d.q)}" placeholder="Find a person by email or name"> <button type="submit">Find</button></form></header>
<main>
${d.notice ? `<div class="notice" role="status">${esc(d.notice)}</div>` : ''}
<section id="people"><h2>People</h2><p class="muted">Revoke access stops every key of the person on every gateway within a second and is written to the audit log. "And suspend" also keeps them from creating new keys until restored (leavers are deactivated by SCIM or the HRIS sync instead).${readOnly ? ' Your access is read-only.' : ''}</p>
<table><thead><tr><th>Person</th><th>Teams</th><th>Active keys</th><th>State</th><th></th></tr></thead><tbody>${people || '<tr><td colspan="5" class="muted">Nobody matches.</td></tr>'}</tbody></table>
${d.people.length >= d.limit ? `<p class="muted">The first ${d.limit} shown: search to narrow.</p>` : ''}</section>
<section id="service-accounts"><h2>Service accounts</h2><p class="muted">Declared in Team YAML (spec.serviceAccounts); keys made with <code>stipend keys create --service ns/team/name</code>.</p>
<table><thead><tr><th>Account</th><th>Description</th><th>Active keys</th><th>State</th></tr></thead><tbody>${services || '<tr><td colspan="4" class="muted">None declared.</td></tr>'}</tbody></table></section>
<section id="audit"><h2>Audit log</h2><p class="muted">Write-once: every admin and portal change, newest first (GET /api/audit for more).</p>
<table><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Target</th><th>Outcome</th></tr></thead><tbody>${audit || '<tr><td colspan="5" class="muted">Nothing yet.</td></tr>'}</tbody></table></section>
</main></body></html>`;
}
