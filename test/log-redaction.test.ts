// Keys and tokens sent in query strings never reach a log line: gateway and admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../src/admin/admin-app.ts';
import { createLogger } from '../src/cli/logger.ts';
import { DEFAULT_EXPORT_CONFIG } from '../src/reports/exports/export-config.schema.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForNoReservations } from './support/ledger-queries.ts';

const gatewayLines: string[] = [];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ logLines: gatewayLines });
});
afterAll(async () => h?.close());

describe('secrets in query strings are redacted from logs', () => {
  it('gateway: ?api_key=, ?key=, ?token= on any route', async () => {
    const key = h.keys['ada@acme.example']!;
    const body = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    expect((await fetch(`${h.url}/v1/chat/completions?api_key=sk-query-secret-1`, { method: 'POST', headers, body })).status).toBe(200);
    expect((await fetch(`${h.url}/v1/models?beta=1&key=AIza-query-secret-2`, { headers })).status).toBe(200);
    // A key only in the query string is not accepted (the SDKs send headers), and still not logged.
    expect((await fetch(`${h.url}/v1/chat/completions?token=${key}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await fetch(`${h.url}/nowhere?access_token=query-secret-3`)).status).toBe(404);
    await waitForNoReservations(h.database.handle.db);
    // Each request's log line is written once its response has gone out, which the client can
    // see first: wait for all four, so that "not logged" means it, not "not logged yet".
    const deadline = Date.now() + 20_000;
    const requestLines = () => gatewayLines.filter((l) => (JSON.parse(l) as { msg?: string }).msg === 'request').length;
    while (requestLines() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(requestLines()).toBe(4);

    const all = gatewayLines.join('\n');
    expect(all).toContain('api_key=[redacted]');
    for (const secret of ['sk-query-secret-1', 'AIza-query-secret-2', 'query-secret-3', key]) expect(all).not.toContain(secret);
  });

  it('admin API: ?token= in the incoming-request log line', async () => {
    const lines: string[] = [];
    const app = buildAdminApp({
      db: h.database.handle.db,
      adminTokens: ['adm-token-secret-4'],
      exportConfig: DEFAULT_EXPORT_CONFIG,
      logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
    });
    const response = await app.inject({ method: 'GET', url: '/api/budgets?token=adm-token-secret-4&period=current' });
    expect(response.statusCode).toBe(401);
    await app.close();
    const all = lines.join('\n');
    expect(all).toContain('token=[redacted]');
    expect(all).not.toContain('adm-token-secret-4');
  });
});
