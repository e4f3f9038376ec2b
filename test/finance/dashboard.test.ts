// The dashboard in a real headless Chromium (Debian's chromium, driven by playwright-core):
// a month picker over history (closed months marked), budgets as in force that month and the
// effective team cap, percent-used bars, names beside emails, a forecast line, CSV and XLSX
// downloads that open and tie out to the ledger, and a 420 px layout without horizontal
// overflow. Screenshots go to test-artifacts/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/admin-app.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder, parseResources } from '../../src/policy/load-resource-folder.ts';
import type { StipendResource } from '../../src/policy/resource.schema.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../src/reports/exports/export-config.schema.ts';
import { loadGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { closeMonth } from '../../src/reports/monthly/close-month.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';

const CHROMIUM = process.env.STIPEND_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'dashboard-token-0123456789';
const NOW = new Date('2026-03-20T12:00:00Z');
const usd = (cents: number) => BigInt(cents) * 10_000_000n;
// A team whose Shared cap ($60) binds under its member's $1,500 allowance.
const LABS = `
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: labs, namespace: acme }
spec:
  displayName: Labs
  costCenter: CC-LAB-001
  owners: [labs-lead@acme.example]
  members:
    - { email: lin@acme.example, name: Lin Chen, jobLevel: 3 }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: labs-personal, namespace: acme }
spec:
  target: { teams: [labs] }
  scope: PerMember
  amount: "1500.00"
  period: Monthly
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: labs-cap, namespace: acme }
spec:
  target: { teams: [labs] }
  scope: Shared
  amount: "60.00"
  period: Monthly
`;

let t: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let url: string;

async function withProductBudget(amount: string): Promise<StipendResource[]> {
  const examples = await loadResourceFolder(new URL('../../examples', import.meta.url).pathname);
  const resources = [...examples, ...parseResources(LABS, 'labs.yaml')];
  return resources.map((r) => (r.kind === 'Budget' && r.metadata.name === 'product' ? { ...r, spec: { ...r.spec, amount } } : r));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (see .ci/run)`);
  t = await createTestDatabase();
  const db = t.handle.db;
  // January and February under the old product budget ($1,500); March under today's ($1,800).
  await syncResources(db, await withProductBudget('1500.00'));
  await charge(db, 'ada@acme.example', ['acme/eng-principal'], usd(310_00), { at: new Date(Date.UTC(2026, 0, 12, 15)), team: 'acme/engineering' });
  await charge(db, 'margaret@acme.example', ['acme/product'], usd(990_00), { at: new Date(Date.UTC(2026, 1, 10, 15)), team: 'acme/product', model: 'gpt-4o' });
  await syncResources(db, await withProductBudget('1800.00'));
  const day = (d: number) => new Date(Date.UTC(2026, 2, d, 15));
  await charge(db, 'ada@acme.example', ['acme/eng-principal'], usd(1_250_00), { at: day(2), team: 'acme/engineering', provider: 'anthropic', model: 'claude-sonnet-4-5' });
  await charge(db, 'grace@acme.example', ['acme/eng-senior'], usd(640_25), { at: day(5), team: 'acme/engineering' });
  // $1,410.105 exactly: the team and its only member must both show $1,410.11.
  await charge(db, 'margaret@acme.example', ['acme/product'], 1_410_105_000_000n, { at: day(9), team: 'acme/product', model: 'gpt-4o' });
  await charge(db, 'dieter@acme.example', ['acme/design'], usd(95_40), { at: day(12), team: 'acme/design' });
  await charge(db, 'sam@acme.example', ['acme/support', 'acme/support-team-cap'], usd(188_00), { at: day(18), team: 'acme/support' });
  await charge(db, 'lin@acme.example', ['acme/labs-personal', 'acme/labs-cap'], usd(45_55), { at: day(19), team: 'acme/labs' });
  // January is closed (its end plus the grace is long past on March 20); the journals need the GL mapping.
  const exportConfig = { ...DEFAULT_EXPORT_CONFIG, mapping: loadGlMapping(new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname) };
  await closeMonth(db, '2026-01', { config: exportConfig, now: NOW, closedBy: 'test' });
  app = buildAdminApp({ db, adminTokens: [TOKEN], exportConfig, now: () => NOW });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync('test-artifacts', { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await t?.drop();
});

const login = (width = 1280): Promise<BrowserContext> =>
  browser.newContext({ httpCredentials: { username: 'finance', password: TOKEN }, viewport: { width, height: 900 }, acceptDownloads: true });

async function ledgerByTeam(month: string) {
  const { rows } = await sql<{ team: string; spent: bigint }>`
    select team, sum(cost_nanos)::bigint as spent from usage_events
     where to_char(occurred_at at time zone 'UTC', 'YYYY-MM') = ${month} and pricing_status in ('priced', 'estimated')
     group by team`.execute(t.handle.db);
  return rows;
}

describe('dashboard', () => {
  it('shows the month with budgets in force, effective caps, percent used, names, and a forecast line', async () => {
    const context = await login();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const response = await page.goto(`${url}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 30_000 });
    const text = await page.innerText('body');
    expect(text).toContain('AI Spend — March 2026');
    expect(text).toContain('$3,629.31'); // total spent this month
    const teams = await page.innerText('#teams');
    for (const row of [
      /Engineering\s+CC-ENG-001\s+\$1,890\.25\s+\$6,200\.00\s+30\.4%/,
      /Product\s+CC-PROD-001\s+\$1,410\.11\s+\$1,800\.00\s+78\.3%/, // today's $1,800, not the old $1,500
      /Labs\s+CC-LAB-001\s+\$45\.55\s+\$60\.00\s+75\.9%.*Shared cap\s+\$1,500\.00\s+\$60\.00/, // the cap that binds, not $1,560
      /Support\s+CC-SUP-001\s+\$188\.00\s+\$200\.00\s+94\.0%.*Near limit/,
    ]) expect(teams).toMatch(row);
    // Names beside emails; a team and its only member agree to the cent.
    expect(await page.innerText('#people')).toMatch(/Margaret Hamilton\s+margaret@acme\.example\s+Product\s+\$1,410\.11/);
    expect(await page.innerText('#models')).toMatch(/anthropic\/claude-sonnet-4-5\s+\$1,250\.00/);
    expect(await page.innerText('#alerts')).toMatch(/80%\s+Sam Support \(sam@acme\.example\)\s+acme\/support/);
    // Percent-used bars: every team with a cap has a visible bar, small spend next to big budgets too.
    expect(await page.locator('#teams-chart svg path').count()).toBeGreaterThan(4);
    const widths = await page.locator('#teams td.pct .bar span').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(widths.every((w) => w > 0)).toBe(true);
    // The forecast: a dashed line in the trend chart, and its figure.
    await page.waitForSelector('body[data-forecast-drawn="true"]');
    expect(await page.locator('#trend-chart svg path[stroke-dasharray]').count()).toBeGreaterThan(0);
    expect(text).toMatch(/Forecast for the month/);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.screenshot({ path: 'test-artifacts/dashboard.png', fullPage: true });
    await context.close();
  });

  it('the month picker lists history with closed months marked, and shows a past month as it was', async () => {
    const context = await login();
    const page = await context.newPage();
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector('body[data-charts-ready="true"]');
    const options = await page.locator('#month option').allInnerTexts();
    expect(options).toEqual(['March 2026 (in progress)', 'February 2026', 'January 2026 ✓ closed']);
    await Promise.all([page.waitForURL(/month=2026-02/), page.selectOption('#month', '2026-02')]);
    await page.waitForSelector('body[data-charts-ready="true"]');
    expect(await page.innerText('h1')).toContain('AI Spend — February 2026');
    // February's product budget is the one in force then ($1,500), read from its wallet.
    expect(await page.innerText('#teams')).toMatch(/Product\s+CC-PROD-001\s+\$990\.00\s+\$1,500\.00\s+66\.0%/);
    expect(await page.innerText('#budgets')).toMatch(/acme\/product\s+1 person \(Product\)\s+PerMember\s+Monthly\s+Soft\s+\$1,500\.00\s+\$990\.00/);
    expect(await page.locator('#trend-chart svg path[stroke-dasharray]').count()).toBe(0); // no forecast for a past month
    await page.goto(`${url}/dashboard?month=2026-01`);
    expect(await page.innerText('h1')).toMatch(/January 2026\s*Closed/);
    expect((await context.request.get(`${url}/dashboard?month=2026-13`)).status()).toBe(400);
    const future = await context.request.get(`${url}/dashboard?month=2026-04`);
    expect(future.status()).toBe(400);
    expect(await future.json()).toEqual({ error: { code: 'invalid_query', message: 'Invalid query: month: 2026-04 has not started yet.' } });
    await context.close();
  });

  it('downloads every table as CSV and XLSX, and every export; the files open and tie out to the ledger', async () => {
    const context = await login();
    const page = await context.newPage();
    await page.goto(`${url}/dashboard?month=2026-03`);
    const ledger = await ledgerByTeam('2026-03');
    const ledgerTotal = ledger.reduce((s, r) => s + r.spent, 0n);
    const download = async (selector: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
    };
    const nanos = (s: string) => BigInt(s.replace('.', ''));

    // Teams CSV: one row per team, exact nano-dollars that sum to the ledger.
    const teamsCsv = await download('#teams a[href^="/dashboard/tables/teams.csv"]');
    expect(teamsCsv.name).toBe('stipend-2026-03-teams.csv');
    const [header, ...rows] = parseCsv(teamsCsv.bytes.toString('utf8'));
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col('Team')]).sort()).toEqual(['Design', 'Engineering', 'Labs', 'Product', 'Support']);
    expect(rows.reduce((s, r) => s + nanos(r[col('Spent (nano-USD)')]!), 0n)).toBe(ledgerTotal);
    expect(rows.find((r) => r[col('Team')] === 'Labs')!.slice(col('Budget (cap) (USD)'), col('Budget (cap) (USD)') + 1)).toEqual(['60.00']);

    // People XLSX, opened by an independent reader: names, emails, and amounts that tie out.
    const peopleXlsx = await download('#people a[href^="/dashboard/tables/people.xlsx"]');
    expect(peopleXlsx.name).toBe('stipend-2026-03-people.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(peopleXlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'Email', 'Team', 'Spent (USD)', 'Spent (nano-USD)', 'Requests']);
    const people: { name: string; email: string; usd: number; nanos: bigint }[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) people.push({ name: String(row.getCell(1).value ?? ''), email: String(row.getCell(2).value), usd: Number(row.getCell(4).value), nanos: nanos(String(row.getCell(5).value)) });
    });
    expect(people.reduce((s, p) => s + p.nanos, 0n)).toBe(ledgerTotal);
    expect(people.find((p) => p.email === 'margaret@acme.example')).toMatchObject({ name: 'Margaret Hamilton', usd: 1410.11 });

    // Every table has both links, and the whole dashboard comes as one workbook.
    for (const id of ['teams', 'budgets', 'people', 'models', 'alerts', 'daily']) {
      for (const ext of ['csv', 'xlsx']) {
        const r = await context.request.get(`${url}/dashboard/tables/${id}.${ext}?month=2026-03`);
        expect(r.status(), `${id}.${ext}`).toBe(200);
        expect(await page.locator(`#${id} a[href="/dashboard/tables/${id}.${ext}?month=2026-03"]`).count()).toBe(1);
      }
    }
    const all = new ExcelJS.Workbook();
    await all.xlsx.load((await download('#exports a[href^="/dashboard/tables.xlsx"]')).bytes as unknown as ArrayBuffer);
    expect(all.worksheets.map((w) => w.name)).toEqual(['Teams', 'Budgets', 'People', 'Models', 'Daily spend', 'Alerts']);
    const daily = all.getWorksheet('Daily spend')!;
    expect(daily.rowCount).toBe(21); // March 1–20: the month so far
    expect(String(daily.getRow(21).getCell(1).value)).toBe('2026-03-20');
    expect(nanos(String(daily.getRow(21).getCell(5).value))).toBe(ledgerTotal); // month to date = the ledger's month

    // The exports: the CSV from the admin API and the same rows as XLSX.
    for (const format of ['netsuite', 'quickbooks', 'workday', 'focus']) {
      const csv = await download(`#exports a[href="/api/exports/${format}?month=2026-03"]`);
      const xlsx = await download(`#exports a[href="/dashboard/exports/${format}.xlsx?month=2026-03"]`);
      expect(xlsx.name).toBe(`stipend-2026-03-${format}.xlsx`);
      const csvRows = parseCsv(csv.bytes.toString('utf8'));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
      expect(wb.worksheets[0]!.rowCount, format).toBe(csvRows.length);
      expect(wb.worksheets[0]!.getRow(1).values, format).toEqual([undefined, ...csvRows[0]!]);
    }
    const exportTotal = await context.request.get(`${url}/dashboard/exports/netsuite.xlsx?month=2026-03`);
    expect(BigInt(exportTotal.headers()['x-stipend-total-nanos']!)).toBe(ledgerTotal);
    await context.close();
  });

  it('is usable at 420 px: no horizontal overflow, tables scroll inside their cards', async () => {
    const context = await login(420);
    const page = await context.newPage();
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector('body[data-charts-ready="true"]');
    const overflow = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(overflow.scroll).toBeLessThanOrEqual(420);
    expect(overflow.client).toBe(420);
    const picker = await page.locator('#month').boundingBox();
    expect(picker!.x + picker!.width).toBeLessThanOrEqual(420);
    await page.screenshot({ path: 'test-artifacts/dashboard-420px.png', fullPage: true });
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
