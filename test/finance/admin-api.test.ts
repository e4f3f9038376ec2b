// The admin API through app.inject(): auth (401/403), clear 400s, JSON and CSV, budgets with
// usage, alerts, keys without secrets, OpenAPI.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../src/admin/admin-app.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../src/reports/exports/export-config.schema.ts';
import { loadGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const READER = 'reader-token-0123456789abcdef';
let t: TestDatabase;
let app: FastifyInstance;
let keyId: bigint;
const today = new Date().toISOString().slice(0, 10);
const month = today.slice(0, 7);

beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  keyId = (await createApiKey(t.handle.db, 'ada@acme.example', 'laptop')).id;
  // Sam (support: $200 personal, $1,000 shared cap with thresholds 50/80/100) spends $170: his 80 % alert fires.
  await charge(t.handle.db, 'sam@acme.example', ['acme/support', 'acme/support-team-cap'], 170_000_000_000n, { team: 'acme/support' });
  await charge(t.handle.db, 'ada@acme.example', ['acme/eng-principal'], 12_345_678_901n, { team: 'acme/engineering', provider: 'anthropic', model: 'claude-sonnet-4-5' });
  app = buildAdminApp({
    db: t.handle.db,
    adminTokens: [ADMIN],
    readOnlyTokens: [READER],
    exportConfig: { ...DEFAULT_EXPORT_CONFIG, mapping: loadGlMapping(new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname) },
  });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const get = (url: string, token: string | null = ADMIN) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('admin API auth', () => {
  it('answers 401 without a token and with a wrong one', async () => {
    const none = await get('/api/budgets', null);
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await get('/api/budgets', 'admin-token-0123456789abcdeX');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthorized');
    const short = await get('/api/budgets', 'x');
    expect(short.statusCode).toBe(401);
    const dashboard = await get('/dashboard', null);
    expect(dashboard.statusCode).toBe(401);
    expect(dashboard.headers['www-authenticate']).toContain('Basic');
  });

  it('accepts the token as bearer or as a basic-auth password; read-only tokens cannot revoke (403)', async () => {
    expect((await get('/api/budgets')).statusCode).toBe(200);
    const basic = await app.inject({ method: 'GET', url: '/api/budgets', headers: { authorization: `Basic ${Buffer.from(`finance:${READER}`).toString('base64')}` } });
    expect(basic.statusCode).toBe(200);
    const revoke = await app.inject({ method: 'POST', url: `/api/keys/${keyId}/revoke`, headers: { authorization: `Bearer ${READER}` } });
    expect(revoke.statusCode).toBe(403);
    expect(revoke.json().error.code).toBe('forbidden');
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect((await get('/healthz', null)).json()).toEqual({ status: 'ok' });
    const doc = (await get('/api/openapi.json', null)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/reports/spend', '/api/exports/{format}', '/api/periods', '/api/periods/{month}/close', '/api/budgets', '/api/alerts', '/api/keys', '/api/keys/{id}/revoke']));
  });
});

describe('admin API bad queries', () => {
  it.each([
    ['/api/reports/spend', 'from: '],
    ['/api/reports/spend?from=2026-03-01', 'to: '],
    ['/api/reports/spend?from=2026-02-30&to=2026-03-01', 'from: is not a calendar date'],
    ['/api/reports/spend?from=March&to=2026-03-31', 'from: must be a date like 2026-03-01'],
    ['/api/reports/spend?from=2026-03-31&to=2026-03-01', 'to: must not be before from'],
    ['/api/reports/spend?from=2026-03-01&to=2026-03-31&timeZone=Mars/Olympus', 'timeZone: must be an IANA time zone'],
    ['/api/reports/spend?from=2026-03-01&to=2026-03-31&groupBy=planet', 'groupBy:'],
    ['/api/reports/spend?from=2026-03-01&to=2026-03-31&colour=red', 'colour'],
    ['/api/exports/sap?month=2026-03', 'format must be one of netsuite, quickbooks, workday, focus'],
    ['/api/exports/netsuite?month=2026-13', 'month: must be a month like 2026-03'],
    ['/api/alerts?limit=0', 'limit:'],
    ['/api/alerts/deliveries?status=lost', 'status:'],
  ])('%s → 400', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_query');
    expect(res.json().error.message).toContain(message);
  });
});

describe('admin API data', () => {
  it('reports spend as JSON and CSV, lines summing to the total', async () => {
    const json = (await get(`/api/reports/spend?from=${month}-01&to=${today}`)).json();
    expect(json.total.spendNanos).toBe('182345678901');
    expect(json.total.spend).toBe('182.35');
    expect(json.groups.team.map((l: { key: string; spend: string }) => `${l.key}=${l.spend}`)).toEqual(['acme/support=170.00', 'acme/engineering=12.35']);
    const csv = await get(`/api/reports/spend?from=${month}-01&to=${today}&groupBy=model&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(csv.body);
    expect(header!.slice(0, 4)).toEqual(['model', 'label', 'spend_usd', 'spend_nanos']);
    expect(rows.at(-1)![0]).toBe('TOTAL');
    expect(rows.slice(0, -1).reduce((s, r) => s + Number(r[2]) * 100, 0)).toBe(18235);
  });

  it('exports a month through the API', async () => {
    const res = await get(`/api/exports/quickbooks?month=${month}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`stipend-${month}-quickbooks.csv`);
    expect(res.headers['x-stipend-total-nanos']).toBe('182345678901');
    expect(res.headers['x-stipend-period']).toBe('open');
    expect(res.headers['x-stipend-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(parseCsv(res.body)[0]).toEqual(expect.arrayContaining(['Journal No.', 'Journal Date', 'Account Name', 'Debits', 'Credits']));
  });

  it('lists budgets with their current period usage', async () => {
    const { budgets } = (await get('/api/budgets')).json();
    const cap = budgets.find((b: { budget: string }) => b.budget === 'acme/support-team-cap');
    expect(cap).toMatchObject({ scope: 'Shared', amount: '1000.00', spent: '170.00', percentUsed: 17, wallets: 1 });
    const support = budgets.find((b: { budget: string }) => b.budget === 'acme/support');
    expect(support.members[0]).toMatchObject({ email: 'sam@acme.example', spent: '170.00', percentUsed: 85 });
    expect(Date.parse(support.periodStart)).toBeLessThanOrEqual(Date.now());
    const csv = await get('/api/budgets?format=csv');
    expect(parseCsv(csv.body)[0]).toContain('percent_used');
  });

  it('lists alerts with their deliveries', async () => {
    const { alerts } = (await get('/api/alerts')).json();
    expect(alerts.map((a: { budget: string; threshold: number }) => `${a.budget}:${a.threshold}`)).toEqual(['acme/support:80']);
    expect(alerts[0].deliveries.map((d: { channel: string; recipient: string }) => `${d.channel}:${d.recipient}`).sort()).toEqual(['email:sam@acme.example', 'webhook:webhook']);
    const { deliveries } = (await get('/api/alerts/deliveries?status=pending')).json();
    expect(deliveries).toHaveLength(2);
  });

  it('lists keys without secrets and revokes one', async () => {
    const { keys } = (await get('/api/keys')).json();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'prefix', 'revokedAt', 'serviceAccount', 'status']);
    expect(JSON.stringify(keys)).not.toMatch(/hash/);
    const revoke = await app.inject({ method: 'POST', url: `/api/keys/${keyId}/revoke`, headers: { authorization: `Bearer ${ADMIN}` } });
    expect(revoke.json()).toEqual({ revoked: 1 });
    expect((await get('/api/keys')).json().keys[0].status).toBe('revoked');
    const missing = await app.inject({ method: 'POST', url: '/api/keys/999999/revoke', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(missing.statusCode).toBe(404);
  });
});
