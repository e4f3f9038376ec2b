// The dashboard in a real headless Chromium (Debian's chromium, driven by playwright-core):
// the seeded teams' numbers are on the page, the ECharts charts are drawn, and a screenshot
// is saved to test-artifacts/dashboard.png.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/admin-app.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../src/reports/exports/export-config.schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';

const CHROMIUM = process.env.STIPEND_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'dashboard-token-0123456789';
const NOW = new Date('2026-03-20T12:00:00Z');
const usd = (cents: number) => BigInt(cents) * 10_000_000n;

let t: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (see .ci/run)`);
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  const db = t.handle.db;
  const day = (d: number) => new Date(Date.UTC(2026, 2, d, 15));
  await charge(db, 'ada@acme.example', ['acme/eng-principal'], usd(1_250_00), { at: day(2), team: 'acme/engineering', provider: 'anthropic', model: 'claude-sonnet-4-5' });
  await charge(db, 'grace@acme.example', ['acme/eng-senior'], usd(640_25), { at: day(5), team: 'acme/engineering' });
  await charge(db, 'margaret@acme.example', ['acme/product'], usd(1_410_10), { at: day(9), team: 'acme/product', model: 'gpt-4o' });
  await charge(db, 'dieter@acme.example', ['acme/design'], usd(95_40), { at: day(12), team: 'acme/design' });
  await charge(db, 'sam@acme.example', ['acme/support', 'acme/support-team-cap'], usd(188_00), { at: day(18), team: 'acme/support' });
  app = buildAdminApp({ db, adminTokens: [TOKEN], exportConfig: DEFAULT_EXPORT_CONFIG, now: () => NOW });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await t?.drop();
});

describe('dashboard', () => {
  it('shows this month per team, the trend, top models and people, recent alerts', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'finance', password: TOKEN }, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const response = await page.goto(`${url}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 15_000 });
    const text = await page.innerText('body');
    expect(text).toContain('AI Spend — March 2026');
    expect(text).toContain('$3,583.75'); // total spent this month
    for (const row of [
      /Engineering\s+CC-ENG-001\s+\$1,890\.25\s+\$6,200\.00\s+30\.4%\s+On track/,
      /Product\s+CC-PROD-001\s+\$1,410\.10\s+\$1,500\.00\s+94\.0%\s+Near limit/,
      /Design\s+CC-DES-001\s+\$95\.40\s+\$800\.00\s+11\.9%\s+On track/,
      /Support\s+CC-SUP-001\s+\$188\.00\s+\$200\.00\s+94\.0%\s+Near limit/,
    ]) expect(text).toMatch(row);
    expect(text).toMatch(/margaret@acme\.example\s+\$1,410\.10/);
    expect(text).toMatch(/anthropic\/claude-sonnet-4-5\s+\$1,250\.00/);
    expect(text).toMatch(/acme\/support\s+sam@acme\.example\s+80%/); // Sam's 80 % alert
    expect(await page.locator('#teams-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#trend-chart canvas').count()).toBeGreaterThan(0);
    expect(errors, errors.join('\n')).toEqual([]);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/dashboard.png', fullPage: true });
    await context.close();
  });

  it('asks a browser without credentials to log in', async () => {
    const context = await browser.newContext();
    const response = await context.request.get(`${url}/dashboard`);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toContain('Basic');
    await context.close();
  });
});
