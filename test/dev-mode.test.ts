// `stipend dev`: PGlite, the example policy folder, the built-in mock provider, demo keys,
// the admin API and dashboard listed in dev.json, demo traffic, and the CLI on its data dir.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startDev, type DevOptions, type RunningDev } from '../src/dev/start-dev.ts';
import { parseCsv } from '../src/reports/csv.ts';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'stipend-dev-'));
  dirs.push(d);
  return d;
}

async function dev(dataDir: string, extra: Partial<DevOptions> = {}): Promise<RunningDev> {
  return startDev({ dataDir, policyDir: 'examples', port: 0, adminPort: 0, host: '127.0.0.1', env: {}, ...extra }, pino({ level: 'silent' }));
}

/** The real CLI in its own process, as a user runs it next to (or after) `stipend dev`. */
async function stipend(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['src/cli/main.ts', ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const NOW = new Date('2026-03-20T18:00:00Z');

describe('stipend dev', () => {
  it('serves the example policy with demo keys, enforces it, and keeps keys across restarts', async () => {
    const dataDir = await tempDir();
    const first = await dev(dataDir);
    let keys: Record<string, string>;
    try {
      expect(first.mock).not.toBeNull();
      keys = JSON.parse(await readFile(join(dataDir, 'demo-keys.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(keys)).toEqual(expect.arrayContaining(['ada@acme.example', 'sam@acme.example', 'dieter@acme.example']));

      const sam = new OpenAI({ apiKey: keys['sam@acme.example']!, baseURL: `${first.gateway.url}/v1`, maxRetries: 0 });
      const ok = await sam.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
      expect(ok.choices[0]?.message.content).toBeTruthy();
      const denied = await sam.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] }).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    } finally {
      await first.close();
    }

    const second = await dev(dataDir);
    try {
      expect(second.keys).toEqual(keys);
      const ada = new OpenAI({ apiKey: keys['ada@acme.example']!, baseURL: `${second.gateway.url}/v1`, maxRetries: 0 });
      const stream = await ada.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text.length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('lists every URL and credential it serves in dev.json, and each one works', async () => {
    const dataDir = await tempDir();
    const d = await dev(dataDir);
    try {
      const file = join(dataDir, 'dev.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, { url: string; token?: string }>;
      expect(Object.keys(json).sort()).toEqual(['admin', 'dashboard', 'gateway', 'oidc', 'portal', 'scim']);

      // gateway: an OpenAI base URL and a key that works with it
      const client = new OpenAI({ apiKey: json.gateway!.token!, baseURL: json.gateway!.url, maxRetries: 0 });
      expect((await client.models.list()).data.length).toBeGreaterThan(0);

      // admin: the API with its bearer token; nothing without it
      const budgets = await fetch(`${json.admin!.url}/api/budgets`, { headers: { authorization: `Bearer ${json.admin!.token}` } });
      expect(budgets.status).toBe(200);
      expect(JSON.stringify(await budgets.json())).toContain('eng-principal');
      expect((await fetch(`${json.admin!.url}/api/budgets`)).status).toBe(401);

      // dashboard: with the token as Bearer, and through the login link (HttpOnly cookie, then a redirect)
      expect((await fetch(json.dashboard!.url.replace(/\/login.*/, '/dashboard'), { headers: { authorization: `Bearer ${json.dashboard!.token}` } })).status).toBe(200);
      const login = await fetch(json.dashboard!.url, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/dashboard');
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^stipend_admin=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
      const session = cookie.split(';')[0]!;
      const page = await fetch(new URL('/dashboard', json.dashboard!.url), { headers: { cookie: session } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('AI Spend');
      expect((await fetch(json.dashboard!.url.replace(/token=.*/, 'token=wrong-token-0123456789'), { redirect: 'manual' })).status).toBe(401);

      // A change made with the cookie needs the CSRF header: a forged cross-site POST carries only the cookie.
      const keys = (await (await fetch(`${json.admin!.url}/api/keys`, { headers: { cookie: session } })).json()) as { keys: { id: string; email: string }[] };
      const sams = keys.keys.find((k) => k.email === 'sam@acme.example')!;
      const forged = await fetch(`${json.admin!.url}/api/keys/${sams.id}/revoke`, { method: 'POST', headers: { cookie: session } });
      expect(forged.status).toBe(403);
      const { csrfToken } = (await (await fetch(`${json.admin!.url}/api/session`, { headers: { cookie: session } })).json()) as { csrfToken: string };
      const wrong = await fetch(`${json.admin!.url}/api/keys/${sams.id}/revoke`, { method: 'POST', headers: { cookie: session, 'x-stipend-csrf': 'x' } });
      expect(wrong.status).toBe(403);
      const revoked = await fetch(`${json.admin!.url}/api/keys/${sams.id}/revoke`, { method: 'POST', headers: { cookie: session, 'x-stipend-csrf': csrfToken } });
      expect(await revoked.json()).toEqual({ revoked: 1 });

      // scim: SCIM 2.0 with its own bearer token; a provisioned person lands in a team by department (on PGlite).
      const scim = (path: string, init: RequestInit = {}, token = json.scim!.token) =>
        fetch(`${json.scim!.url}${path}`, { ...init, headers: { 'content-type': 'application/scim+json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      expect((await scim('/ServiceProviderConfig')).status).toBe(200);
      expect((await scim('/ServiceProviderConfig', {}, json.admin!.token)).status).toBe(401);
      const user = await scim('/Users', {
        method: 'POST',
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
          userName: 'newhire@acme.example',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Support' },
        }),
      });
      expect(user.status).toBe(201);
      // The dev gateway hears of the joiner (NOTIFY on PGlite) and places them in Support, by the example's memberSelector.
      const deadline = Date.now() + 20_000; // generous for a loaded machine
      while (d.gateway.policy.current().byEmail.get('newhire@acme.example')?.team?.key !== 'acme/support') {
        if (Date.now() > deadline) throw new Error('the SCIM joiner never reached the dev gateway in acme/support');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await d.close();
    }
  });

  it('--demo-traffic books a realistic month of real requests that every report shows, once per data dir', async () => {
    const dataDir = await tempDir();
    const d = await dev(dataDir, { demoTraffic: true, now: () => NOW, env: { STIPEND_GL_MAPPING_FILE: 'examples/finance/gl-mapping.yaml' } });
    try {
      const result = d.demoTraffic;
      if (result === null || result === 'already filled') throw new Error(`demo traffic did not run: ${String(result)}`);
      expect(result.requests).toBeGreaterThan(4_000);
      // Ordinary answers and ordinary budget refusals, nothing else; a refusal never reached the provider.
      expect(Object.keys(result.statuses).sort()).toEqual(['200', '402']);
      expect(result.providerCalls).toBe(result.statuses['200']);
      expect(result.refusedButCalled).toBe(0);
      // The refusals are the heavy user's, at their Hard cap, who gives up for the day after a few.
      const refused = Object.entries(result.byPerson).filter(([, s]) => (s['402'] ?? 0) > 0);
      expect(refused.map(([email]) => email)).toEqual(['alan@acme.example']);
      expect(result.statuses['402']).toBeGreaterThanOrEqual(3);
      expect(result.statuses['402']).toBeLessThanOrEqual(30);

      // The CLI needs the embedded database to itself: while dev runs, it says so in one line.
      const busy = await stipend('audit', 'verify', '--data-dir', dataDir);
      expect(busy.code).toBe(1);
      expect(busy.stderr.trim().split('\n')).toHaveLength(1);
      expect(busy.stderr).toContain("is open in 'stipend dev'");

      type Table = { id: string; columns: string[]; rows: string[][] };
      const admin = (path: string) => fetch(`${d.admin.url}${path}`, { headers: { authorization: `Bearer ${d.admin.token}` } });
      const dash = (await (await admin('/dashboard/data.json')).json()) as { month: string; tables: Table[] };
      expect(dash.month).toBe('2026-03');
      const table = (id: string) => {
        const t = dash.tables.find((x) => x.id === id)!;
        return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]!])));
      };
      const amount = (s: string) => Number(s.replace(/[$,%]/g, ''));
      expect(table('daily').filter((p) => amount(p['Spent']!) > 0).length).toBeGreaterThanOrEqual(12); // March 1–20, weekdays and some weekends
      for (const team of ['Engineering', 'Product', 'Design', 'Support']) expect(amount(table('teams').find((t) => t['Team'] === team)!['Spent']!)).toBeGreaterThan(0);

      // This month so far (the 20th) against each person's own budget: a meaningful share for most,
      // the Soft product budget past its 80 % alert, the heavy user's Hard cap spent to the last request.
      const used = Object.fromEntries(table('budgets').filter((b) => b['Scope'] === 'PerMember').map((b) => [b['Budget']!, amount(b['Used']!)]));
      const shares = Object.values(used).sort((a, b) => a - b);
      const median = (shares[2]! + shares[3]!) / 2;
      expect(shares).toHaveLength(6);
      expect(median).toBeGreaterThanOrEqual(20);
      expect(median).toBeLessThanOrEqual(90);
      expect(shares.filter((u) => u >= 20).length).toBeGreaterThanOrEqual(4);
      expect(used['acme/product']).toBeGreaterThan(80);
      expect(used['acme/product']).toBeLessThan(100);
      expect(used['acme/eng-mid']).toBeGreaterThan(99);
      for (const b of table('budgets')) expect(amount(b['Forecast']!)).toBeGreaterThan(0);

      // Alerts raised by the month's own spend: the Soft budget's 80 %, the heavy user's 80 % and exhausted.
      const { alerts } = (await (await admin('/api/alerts')).json()) as { alerts: { kind: string; budget: string; email: string; threshold: number | null }[] };
      const seen = alerts.map((a) => `${a.kind} ${a.budget} ${a.email} ${a.threshold ?? ''}`.trim());
      expect(seen).toEqual(expect.arrayContaining(['threshold acme/product margaret@acme.example 80', 'threshold acme/eng-mid alan@acme.example 80', 'exhausted acme/eng-mid alan@acme.example']));
      expect(table('alerts').length).toBeGreaterThanOrEqual(3);

      // Every dimension of the spend report has rows, spread over several of each.
      const spend = (await (await admin('/api/reports/spend?from=2026-02-18&to=2026-03-20')).json()) as { total: { spendNanos: string }; groups: Record<string, { key: string; spendNanos: string }[]> };
      const total = BigInt(spend.total.spendNanos);
      expect(total).toBeGreaterThan(3_000_000_000_000n); // thousands of dollars, not tens
      const spread = Object.fromEntries(Object.entries(spend.groups).map(([dim, lines]) => [dim, lines.filter((l) => BigInt(l.spendNanos) > 0n).length]));
      expect(spread).toMatchObject({ team: 4, cost_center: 4, person: 6, provider: 3 });
      expect(spread['model']).toBeGreaterThanOrEqual(6);
      for (const lines of Object.values(spend.groups)) expect(lines.every((l) => BigInt(l.spendNanos) < total)).toBe(true); // no one line is everything

      // The journals for each ERP have a line per team.
      for (const format of ['quickbooks', 'workday']) {
        const journal = await admin(`/api/exports/${format}?month=2026-03`);
        expect(journal.status, await journal.clone().text()).toBe(200);
        const rows = parseCsv(await journal.text());
        expect(rows.length).toBeGreaterThan(4);
      }
    } finally {
      await d.close();
    }

    const audit = await stipend('audit', 'verify', '--data-dir', dataDir);
    expect(audit).toMatchObject({ code: 0 });
    const rows = Number(/ledger intact: (\d+) rows/.exec(audit.stdout)![1]);
    expect(rows).toBe((d.demoTraffic as { statuses: Record<string, number> }).statuses['200']); // refusals are not ledger rows

    // Spread over the 30 days before NOW, not stamped at the moment they were sent.
    const byDay = await stipend('report', 'spend', '--from', '2026-02-18', '--to', '2026-03-20', '--group-by', 'day', '--data-dir', dataDir);
    expect(byDay.code).toBe(0);
    const days = parseCsv(byDay.stdout).slice(1, -1);
    expect(days.filter((r) => Number(r[2]) > 0).length).toBeGreaterThanOrEqual(20);
    expect(days.filter((r) => r[0]! < '2026-02-18' || r[0]! > '2026-03-20')).toEqual([]);
    const total = parseCsv(byDay.stdout).at(-1)!;
    expect(Number(total[4])).toBe(rows); // every request priced

    for (const month of ['2026-02', '2026-03']) {
      const out = join(dataDir, `focus-${month}.csv`); // a month of rows is more than a pipe buffer
      const focus = await stipend('report', 'export', '--month', month, '--format', 'focus', '--out', out, '--data-dir', dataDir);
      expect(focus.code, focus.stderr).toBe(0);
      const [header, ...lines] = parseCsv(await readFile(out, 'utf8'));
      expect(header).toContain('BilledCost');
      expect(lines.length).toBeGreaterThan(200); // aggregated rows (day × person × model …), hundreds in a month
      expect(lines.every((l) => l[header!.indexOf('ChargePeriodStart')]!.startsWith(month))).toBe(true);
    }

    // A second start with the flag keeps the month it has.
    const again = await dev(dataDir, { demoTraffic: true, now: () => NOW });
    try {
      expect(again.demoTraffic).toBe('already filled');
      const spend = await fetch(`${again.admin.url}/api/reports/spend?from=2026-01-01&to=2026-12-31`, { headers: { authorization: `Bearer ${again.admin.token}` } });
      expect(((await spend.json()) as { pricingStatus: { requests: { priced: number } } }).pricingStatus.requests.priced).toBe(rows);
    } finally {
      await again.close();
    }
  }, 240_000);
});
