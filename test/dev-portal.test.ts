// `npm start` serves the portal with an embedded OpenID provider: dev.json lists both, and a
// newcomer signs in as Ada in a real headless Chromium and gets a key that works at once.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevJson } from '../src/dev/dev-json.ts';
import { startDev, type RunningDev } from '../src/dev/start-dev.ts';
import { untilKeyAnswers } from './support/key-status.ts';

const CHROMIUM = process.env.STIPEND_CHROMIUM ?? '/usr/bin/chromium';
let dataDir: string;
let dev: RunningDev;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (see .ci/run)`);
  dataDir = await mkdtemp(join(tmpdir(), 'stipend-dev-portal-'));
  dev = await startDev({ dataDir, policyDir: 'examples', port: 0, adminPort: 0, host: '127.0.0.1', env: {} }, pino({ level: 'silent' }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await dev?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('dev mode portal', () => {
  it('lists portal and oidc in dev.json with their credentials', async () => {
    const json = JSON.parse(await readFile(join(dataDir, 'dev.json'), 'utf8')) as DevJson;
    expect(json.portal!.url).toBe(`${json.admin!.url}/portal`);
    const ada = json.portal!.users!.find((u) => u.email === 'ada@acme.example')!;
    expect(ada.password.length).toBeGreaterThanOrEqual(12);
    expect(json.portal!.users!.find((u) => u.email === 'it-admin@acme.example')!.groups).toEqual(['stipend-admins']);
    expect(json.oidc).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), clientId: 'stipend-portal', clientSecret: expect.any(String) });
    const discovery = (await (await fetch(`${json.oidc!.url}/.well-known/openid-configuration`)).json()) as { issuer: string; code_challenge_methods_supported: string[] };
    expect(discovery.issuer).toBe(json.oidc!.url);
    expect(discovery.code_challenge_methods_supported).toContain('S256');
  });

  it('signs Ada in with the demo password and gives her a key that works at the gateway', async () => {
    const json = JSON.parse(await readFile(join(dataDir, 'dev.json'), 'utf8')) as DevJson;
    const ada = json.portal!.users!.find((u) => u.email === 'ada@acme.example')!;
    const page = await (await browser.newContext()).newPage();
    await page.goto(json.portal!.url);
    await page.click('#sign-in');
    await page.fill('#email', ada.email);
    await page.fill('#password', ada.password);
    await Promise.all([page.waitForURL(json.portal!.url), page.click('#submit')]);
    await page.click('#create-key button[type=submit]');
    const key = (await page.locator('#new-key-value').innerText()).trim();
    await untilKeyAnswers(json.gateway!.url, key, 200); // the new key reaches the dev gateway by NOTIFY
    const client = new OpenAI({ apiKey: key, baseURL: json.gateway!.url, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] });
    expect(res.choices[0]?.message.content).toBeTruthy();
    // A wrong password is refused at the provider.
    const other = await (await browser.newContext()).newPage();
    await other.goto(json.portal!.url);
    await other.click('#sign-in');
    await other.fill('#email', ada.email);
    await other.fill('#password', 'not-the-password');
    await other.click('#submit');
    expect(await other.locator('[role=alert]').innerText()).toContain('Wrong email or password');
  });
});
