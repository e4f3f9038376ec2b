// The employee portal and admin SSO end to end: a real OpenID provider (oidc-provider), the
// admin process with the portal, a real gateway on Postgres, and headless Chromium (Debian's
// chromium, driven by playwright-core) signing in through the provider's login form.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import OpenAI from 'openai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../src/admin/admin-app.ts';
import { listenDevOidcProvider, type DevOidcProvider } from '../src/dev/dev-oidc-provider.ts';
import { createOidcLogin } from '../src/identity/portal/oidc-login.ts';
import type { PortalConfig } from '../src/identity/portal/portal-config.schema.ts';
import { createSealer } from '../src/identity/portal/sealed-cookie.ts';
import { createSessions } from '../src/identity/portal/sso-session.ts';
import { AccessSuspendedError, createApiKey } from '../src/keys/api-keys.repository.ts';
import { DEFAULT_EXPORT_CONFIG } from '../src/reports/exports/export-config.schema.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { untilKeyAnswers } from './support/key-status.ts';
import { waitForNoReservations } from './support/ledger-queries.ts';

const CHROMIUM = process.env.STIPEND_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'correct-horse-battery';
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const MAX_KEYS = 3;

let h: Harness;
let idp: DevOidcProvider;
let server: Server;
let admin: FastifyInstance;
let adminUrl: string;
let browser: Browser;
let config: PortalConfig;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (see .ci/run)`);
  h = await startHarness();
  idp = await listenDevOidcProvider('127.0.0.1', 0);
  server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  adminUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  await idp.configure({ clientId: 'stipend', clientSecret, redirectUris: [`${adminUrl}/portal/callback`] }, [
    { email: 'ada@acme.example', name: 'Ada Lovelace', password: PASSWORD, groups: ['engineering'] },
    { email: 'it-admin@acme.example', name: 'IT Admin', password: PASSWORD, groups: ['everyone', 'stipend-admins'] },
    { email: 'auditor@acme.example', name: 'Auditor', password: PASSWORD, groups: ['stipend-auditors'] },
  ]);
  config = {
    issuer: new URL(idp.issuer),
    clientId: 'stipend',
    clientSecret,
    scopes: 'openid email profile groups',
    emailClaim: 'email',
    groupsClaim: 'groups',
    adminGroups: ['stipend-admins'],
    readOnlyGroups: ['stipend-auditors'],
    publicUrl: new URL(adminUrl),
    sessionSecret: randomBytes(32).toString('base64url'),
    sessionTtlSeconds: 3600,
    gatewayUrl: h.url,
    maxKeys: MAX_KEYS,
  };
  admin = buildAdminApp({
    db: h.database.handle.db,
    adminTokens: [ADMIN_TOKEN],
    exportConfig: DEFAULT_EXPORT_CONFIG,
    sso: { config, login: createOidcLogin(config), sessions: createSessions(config) },
    server,
  });
  await admin.ready();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await admin?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  await idp?.close();
  await h?.close();
});

/** Signs in through the IdP's login form, starting from `path` on the admin server. */
async function signIn(email: string, path = '/portal'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${adminUrl}${path}`);
  if (path === '/portal') await page.click('#sign-in');
  await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(adminUrl)), page.click('#submit')]);
  return { context, page };
}

const openai = (key: string) => new OpenAI({ apiKey: key, baseURL: `${h.url}/v1`, maxRetries: 0 });
const hello = (key: string) => openai(key).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] });
const statusOf = async (key: string) => (await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

/**
 * Milliseconds until the gateway answers 401 for the key, polling; -1 when `deadlineMs` passes
 * first. The deadline is generous: how fast a revocation lands is measured by `npm run bench`
 * (bench/leaver-to-401.ts, key revocation on two replicas).
 */
async function msUntilRefused(key: string, deadlineMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if ((await statusOf(key)) === 401) return Date.now() - start;
    if (Date.now() - start > deadlineMs) return -1;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sessionCookie = async (context: BrowserContext) => (await context.cookies(adminUrl)).find((c) => c.name === 'stipend_session')!;
const activeKeys = async (email: string) =>
  Number(
    (
      await h.database.handle.db
        .selectFrom('api_keys')
        .innerJoin('people', 'people.id', 'api_keys.person_id')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('people.email', '=', email)
        .where('api_keys.revoked_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('employee portal', () => {
  let context: BrowserContext;
  let page: Page;
  let created: string;
  let rotated: string;

  it('signs Ada in with the company SSO (code + PKCE) and shows her budgets and models', async () => {
    ({ context, page } = await signIn('ada@acme.example'));
    expect(new URL(page.url()).pathname).toBe('/portal');
    await expect(page.locator('h1').innerText()).resolves.toBe('Ada Lovelace');
    const budgets = await page.locator('#budgets').innerText();
    expect(budgets).toContain('acme/eng-principal');
    expect(budgets).toContain('$3,000.00');
    expect(await page.locator('#models').innerText()).toContain('claude-sonnet-4-5');
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);
    expect(cookie.value).not.toContain('ada'); // sealed, not readable
  });

  it('creates a key shown once, which works at the gateway (official OpenAI SDK)', async () => {
    await page.fill('#create-key input[name=name]', 'laptop');
    await page.click('#create-key button[type=submit]');
    created = (await page.locator('#new-key-value').innerText()).trim();
    expect(created).toMatch(/^sk-stipend-[A-Za-z0-9_-]{43}$/);
    // The client settings on that page carry it, with the gateway's URL.
    const settings = (await page.locator('#settings').textContent()) ?? ''; // closed <details> included
    expect(settings).toContain(`OPENAI_BASE_URL=${h.url}/v1`);
    expect(settings).toContain(`ANTHROPIC_AUTH_TOKEN=${created}`);
    expect(settings).toContain('wire_api = "responses"');
    await untilKeyAnswers(h.url, created, 200); // the new key reaches the gateway by NOTIFY
    const completion = await hello(created);
    expect(completion.choices[0]?.message.content).toBeTruthy();
    await waitForNoReservations(h.database.handle.db);
    // Shown once: the portal lists only its prefix afterwards, and the request is in the list.
    await page.goto(`${adminUrl}/portal`);
    expect(await page.content()).not.toContain(created);
    expect(await page.locator('#keys').innerText()).toContain(created.slice(0, 15));
    expect(await page.locator('#requests').innerText()).toContain('openai/gpt-4o-mini');
  });

  it('rotates: the new key works, the old one is refused (401)', async () => {
    await page.click(`#keys tr[data-status=active]:has-text("laptop") button[data-action=rotate]`);
    rotated = (await page.locator('#new-key-value').innerText()).trim();
    expect(rotated).not.toBe(created);
    const ms = await msUntilRefused(created, 20_000);
    expect(ms).toBeGreaterThanOrEqual(0);
    await untilKeyAnswers(h.url, rotated, 200);
    expect((await hello(rotated)).choices).toHaveLength(1);
  });

  it('revokes: the key is refused (401) on the gateway', async () => {
    await page.goto(`${adminUrl}/portal`);
    await page.click(`#keys tr[data-status=active] button[data-action=revoke]`);
    await page.waitForURL(/notice=revoked/);
    const ms = await msUntilRefused(rotated, 20_000);
    expect(ms).toBeGreaterThanOrEqual(0);
    const error = await hello(rotated).catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
  });

  it(`caps active keys per person at ${MAX_KEYS} (the harness gave Ada one already)`, async () => {
    expect(await activeKeys('ada@acme.example')).toBe(1);
    for (let i = 0; i < MAX_KEYS - 1; i++) {
      await page.goto(`${adminUrl}/portal`);
      await page.click('#create-key button[type=submit]');
      await page.locator('#new-key-value').waitFor();
    }
    await page.goto(`${adminUrl}/portal`);
    expect(await page.locator('#create-key').count()).toBe(0);
    expect(await page.locator('#keys').innerText()).toContain('the most allowed');
    const { csrf } = await csrfOf(context);
    const refused = await page.request.post(`${adminUrl}/portal/keys`, { form: { csrf, name: 'one-too-many' } });
    expect(refused.status()).toBe(409);
    expect(await activeKeys('ada@acme.example')).toBe(MAX_KEYS);
  });

  it('refuses a change without the CSRF token or with a wrong one; nothing changes', async () => {
    await revokeAllButOne('ada@acme.example');
    const before = await activeKeys('ada@acme.example');
    const missing = await page.request.post(`${adminUrl}/portal/keys`, { form: { name: 'forged' } });
    expect(missing.status()).toBe(403);
    const wrong = await page.request.post(`${adminUrl}/portal/keys`, { form: { name: 'forged', csrf: 'x'.repeat(32) } });
    expect(wrong.status()).toBe(403);
    // Another session's token is no good either: the token is bound to the session.
    const other = await signIn('ada@acme.example');
    const { csrf: otherCsrf } = await csrfOf(other.context);
    await other.context.close();
    const foreign = await page.request.post(`${adminUrl}/portal/keys`, { form: { name: 'forged', csrf: otherCsrf } });
    expect(foreign.status()).toBe(403);
    expect(await activeKeys('ada@acme.example')).toBe(before);
  });

  it('refuses a tampered or forged session cookie', async () => {
    const cookie = await sessionCookie(context);
    const { csrf } = await csrfOf(context);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const forgedWithOtherSecret = createSealer(randomBytes(32).toString('base64url'), 'session').seal(
      { sub: 'x', email: 'ada@acme.example', name: 'Ada', access: 'admin', csrf },
      new Date(Date.now() + 3_600_000),
    );
    for (const value of [flip(cookie.value, 20), flip(cookie.value, cookie.value.length - 3), forgedWithOtherSecret, 'not-a-session']) {
      const headers = { cookie: `stipend_session=${value}` };
      const page = await fetch(`${adminUrl}/portal`, { headers });
      expect(await page.text()).toContain('Sign in with SSO'); // signed out
      const post = await fetch(`${adminUrl}/portal/keys`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }) });
      expect(post.status).toBe(401);
      expect((await fetch(`${adminUrl}/api/session`, { headers })).status).toBe(401);
    }
  });

  it('gives an employee without an admin group no dashboard', async () => {
    const res = await page.request.get(`${adminUrl}/dashboard`);
    expect(res.status()).toBe(403);
    await context.close();
  });
});

describe('admin SSO and one-click revoke', () => {
  it('signs an admin in through the admin group and revokes a person in one click: keys refused, audited', async () => {
    const graceKey = h.keys['grace@acme.example']!;
    expect(await statusOf(graceKey)).toBe(200);
    const { context, page } = await signIn('it-admin@acme.example', '/dashboard');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(await page.locator('h1').first().innerText()).toContain('AI Spend');
    await page.goto(`${adminUrl}/dashboard/access?q=grace`);
    const row = page.locator('tr[data-email="grace@acme.example"]');
    await row.locator('input[name=suspend]').check();
    await row.locator('button[data-action=revoke-access]').click();
    await page.waitForURL(/done=revoked/);
    const ms = await msUntilRefused(graceKey, 20_000);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(await page.locator('[role=status]').innerText()).toContain('Revoked 1 key(s) of grace@acme.example and suspended them');

    const audit = await h.database.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.revoke').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'it-admin@acme.example', actor_kind: 'sso', access: 'admin', target: 'person:grace@acme.example', outcome: 'done' });
    expect(audit[0]!.ip).toMatch(/127\.0\.0\.1/);
    expect(audit[0]!.user_agent).toContain('Chrome');
    expect(audit[0]!.details).toMatchObject({ suspend: true, revokedKeys: [expect.any(String)] });
    // Suspended: no new key through the portal or the CLI until an admin restores access.
    await expect(createApiKey(h.database.handle.db, 'grace@acme.example')).rejects.toBeInstanceOf(AccessSuspendedError);
    expect(await page.locator('#audit').innerText()).toContain('access.revoke');
    await context.close();
  });

  it('does not let a read-only admin revoke: 403, the key keeps working, the attempt is audited', async () => {
    const alanKey = h.keys['alan@acme.example']!;
    const { context, page } = await signIn('auditor@acme.example', '/dashboard');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.goto(`${adminUrl}/dashboard/access?q=alan`);
    expect(await page.locator('tr[data-email="alan@acme.example"] button[data-action=revoke-access]').isDisabled()).toBe(true);
    const { csrfToken } = (await (await page.request.get(`${adminUrl}/api/session`)).json()) as { csrfToken: string };
    const res = await page.request.post(`${adminUrl}/dashboard/access/revoke`, { form: { email: 'alan@acme.example', csrf: csrfToken } });
    expect(res.status()).toBe(403);
    const api = await page.request.post(`${adminUrl}/api/people/alan@acme.example/revoke-access`, { data: {}, headers: { 'x-stipend-csrf': csrfToken } });
    expect(api.status()).toBe(403);
    expect(await statusOf(alanKey)).toBe(200);
    const refused = await h.database.handle.db.selectFrom('audit_log').selectAll().where('outcome', '=', 'refused').execute();
    expect(refused.map((r) => [r.actor, r.action, r.target])).toEqual([
      ['auditor@acme.example', 'access.revoke', 'person:alan@acme.example'],
      ['auditor@acme.example', 'access.revoke', 'person:alan@acme.example'],
    ]);
    await context.close();
  });

  it('keeps static admin tokens for automation, audited by token fingerprint', async () => {
    const res = await fetch(`${adminUrl}/api/people/margaret@acme.example/revoke-access`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ suspend: false }),
    });
    expect(await res.json()).toEqual({ revoked: 1, suspended: false });
    expect(await msUntilRefused(h.keys['margaret@acme.example']!, 20_000)).toBeGreaterThanOrEqual(0);
    const { entries } = (await (await fetch(`${adminUrl}/api/audit?target=person:margaret@acme.example`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { entries: { actor: string; actorKind: string }[] };
    expect(entries[0]).toMatchObject({ actorKind: 'admin-token', actor: expect.stringMatching(/^token:[0-9a-f]{12}$/) });
  });

  it('keeps the audit log write-once: UPDATE and DELETE are refused', async () => {
    await expect(sql`update audit_log set actor = 'someone-else'`.execute(h.database.handle.db)).rejects.toThrow(/write-once/);
    await expect(sql`delete from audit_log`.execute(h.database.handle.db)).rejects.toThrow(/write-once/);
  });
});

/** The session's CSRF token, as the portal's forms carry it. */
async function csrfOf(context: BrowserContext): Promise<{ csrf: string }> {
  const res = await context.request.get(`${adminUrl}/portal`);
  const match = /name="csrf" value="([^"]+)"/.exec(await res.text());
  return { csrf: match![1]! };
}

async function revokeAllButOne(email: string): Promise<void> {
  const db = h.database.handle.db;
  const keys = await db.selectFrom('api_keys').innerJoin('people', 'people.id', 'api_keys.person_id').select('api_keys.id').where('people.email', '=', email).where('api_keys.revoked_at', 'is', null).orderBy('api_keys.id').execute();
  for (const k of keys.slice(1)) await db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', k.id).execute();
}
