// Admin date bounds: a date the reports cannot work with is a 400 that says the range, never a 500.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../src/admin/admin-app.ts';
import { DEFAULT_EXPORT_CONFIG } from '../src/reports/exports/export-config.schema.ts';
import { loadGlMapping } from '../src/reports/gl-mapping/load-gl-mapping.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const ADMIN = 'admin-token-0123456789abcdef';
let t: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDatabase();
  const mapping = loadGlMapping(new URL('./finance/fixtures/gl-mapping.yaml', import.meta.url).pathname);
  app = buildAdminApp({ db: t.handle.db, adminTokens: [ADMIN], exportConfig: { ...DEFAULT_EXPORT_CONFIG, mapping } });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN}` } });

describe('admin date bounds', () => {
  it.each([
    ['/api/reports/spend?from=0000-01-01&to=0000-01-31', 'from'],
    ['/api/reports/spend?from=1969-12-31&to=1970-01-05', 'from'],
    ['/api/exports/focus?month=0000-01', 'month'],
    ['/api/exports/netsuite?month=1969-12', 'month'],
    ['/api/monthly-reports/0000-01', 'month'],
    ['/api/alerts?since=0000-01-01T00:00:00Z', 'since'],
    ['/api/alerts?since=1969-12-31T23:59:59Z', 'since'],
  ])('%s → 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_query', message: expect.stringContaining(`${field}: must be between`) } });
  });

  it('accepts the edges of the supported range', async () => {
    expect((await get('/api/reports/spend?from=1970-01-01&to=1970-01-02')).statusCode).toBe(200);
    expect((await get('/api/reports/spend?from=2999-12-01&to=2999-12-31&timeZone=Pacific/Kiritimati')).statusCode).toBe(200);
    expect((await get('/api/reports/spend?from=9999-12-01&to=9999-12-31&timeZone=Pacific/Kiritimati')).statusCode).toBe(200);
    expect((await get('/api/exports/netsuite?month=9999-12')).statusCode).toBe(200);
    expect((await get('/api/alerts?since=1970-01-01T00:00:00Z')).statusCode).toBe(200);
  });
});
