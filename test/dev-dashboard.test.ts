// The dashboard that `npm start` lists in dev.json, opened in a real headless Chromium
// (Debian's chromium, driven by playwright-core) through its login link, showing the demo month.
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type RunningDev } from '../src/dev/start-dev.ts';

const CHROMIUM = process.env.STIPEND_CHROMIUM ?? '/usr/bin/chromium';
let dataDir: string;
let dev: RunningDev;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (see .ci/run)`);
  dataDir = await mkdtemp(join(tmpdir(), 'stipend-dev-dash-'));
  dev = await startDev(
    { dataDir, policyDir: 'examples', port: 0, adminPort: 0, host: '127.0.0.1', env: {}, demoTraffic: true, demoTrafficPerWorkday: 2, now: () => new Date('2026-03-20T18:00:00Z') },
    pino({ level: 'silent' }),
  );
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

describe('dev mode dashboard', () => {
  it('opens from the login link in dev.json and draws the demo month', async () => {
    const { dashboard } = JSON.parse(await readFile(join(dataDir, 'dev.json'), 'utf8')) as { dashboard: { url: string } };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const response = await page.goto(dashboard.url);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/dashboard'); // the token left the address bar
    await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 30_000 });
    const text = await page.innerText('body');
    expect(text).toContain('AI Spend — March 2026');
    for (const team of ['Engineering', 'Product', 'Design', 'Support']) expect(text).toMatch(new RegExp(`${team}\\s+CC-[A-Z]+-001\\s+\\$(?!0\\.00)[\\d,]+\\.\\d\\d`));
    expect(text).toMatch(/anthropic\/claude-sonnet-4-6\s+\$[\d,.]+\s+\d+/);
    expect(await page.locator('#teams-chart svg path').count()).toBeGreaterThan(4);
    expect(await page.locator('#trend-chart svg path').count()).toBeGreaterThan(0);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'stipend_admin')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate('document.cookie')).toBe(''); // scripts never see the token
    expect(errors, errors.join('\n')).toEqual([]);
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/dev-dashboard.png', fullPage: true });
    await context.close();
  });
});
