// The stand-in answers as BambooHR's API reference says it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBambooHrStandIn, TEST_BAMBOOHR_API_KEY, type BambooHrServer } from './bamboohr-stand-in.ts';

let api: BambooHrServer;
beforeAll(async () => {
  api = await startBambooHrStandIn({
    customFields: [{ id: '4047', alias: 'customJobLevel', name: 'Job Level', type: 'list' }],
    employees: [
      { id: 1, firstName: 'Jennifer', lastName: 'Caldwell', workEmail: 'jc@acme.example', employeeNumber: '6', department: 'Human Resources', custom: { '4047': 'L7' } },
      { id: 2, firstName: 'Charlotte', preferredName: 'Charlie', lastName: 'Abbott', workEmail: 'ca@acme.example', supervisorEId: 1, custom: { '4047': 'L3' } },
      { id: 3, firstName: 'Gone', lastName: 'Away', workEmail: 'gone@acme.example', status: 'Inactive', terminationDate: '2025-12-31' },
    ],
  });
});
afterAll(async () => api?.close());

const basic = (user: string, password = 'x') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const base = () => `${api.url}/api/gateway.php/acme/v1`;
const directory = (headers: Record<string, string> = {}) => fetch(`${base()}/employees/directory`, { headers: { authorization: basic(TEST_BAMBOOHR_API_KEY), accept: 'application/json', ...headers } });
const report = (body: unknown, { query = '?format=JSON', headers = {} }: { query?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${base()}/reports/custom${query}`, {
    method: 'POST',
    headers: { authorization: basic(TEST_BAMBOOHR_API_KEY), accept: 'application/json', 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('BambooHR stand-in', () => {
  it('authenticates with HTTP Basic: the API key as the user name, any password', async () => {
    expect((await directory({ authorization: basic(TEST_BAMBOOHR_API_KEY, 'anything') })).status).toBe(200);
    expect((await directory({ authorization: basic(TEST_BAMBOOHR_API_KEY, '') })).status).toBe(200);
    const wrong = await directory({ authorization: basic('nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-bamboohr-error-message')).toBe('Invalid API key');
    expect((await directory({ authorization: `Bearer ${TEST_BAMBOOHR_API_KEY}` })).status).toBe(401);
    expect((await directory({ authorization: basic(`x`, TEST_BAMBOOHR_API_KEY) })).status).toBe(401); // the key as the password is a common mistake
    expect((await fetch(`${api.url}/api/gateway.php/globex/v1/employees/directory`, { headers: { authorization: basic(TEST_BAMBOOHR_API_KEY) } })).status).toBe(404);
  });

  it('directory: active employees only, {fields, employees} in JSON, XML without Accept: application/json', async () => {
    const json = (await (await directory()).json()) as { fields: { id: string }[]; employees: Record<string, unknown>[] };
    expect(json.fields.map((f) => f.id)).toContain('workEmail');
    expect(json.employees.map((e) => e.id)).toEqual(['1', '2']);
    expect(json.employees[1]).toMatchObject({ displayName: 'Charlie Abbott', preferredName: 'Charlie', supervisor: 'Caldwell, Jennifer', workEmail: 'ca@acme.example' });
    const xml = await directory({ accept: 'text/xml' });
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await xml.text()).toContain('<employee id="2">');
    api.setDirectoryEnabled(false);
    expect((await directory()).status).toBe(403);
    api.setDirectoryEnabled(true);
  });

  it('custom report: every employee, the fields asked for keyed as asked (custom by id or alias), unknown ones left out, zero dates', async () => {
    const r = await report({ title: 'People', fields: ['workEmail', 'status', 'terminationDate', 'supervisorEId', 'supervisorId', 'supervisorEmail', '4047', 'customJobLevel', 'noSuchField'] });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { title: string; fields: { id: string; name: string }[]; employees: Record<string, unknown>[] };
    expect(body.title).toBe('People');
    expect(body.fields.map((f) => f.id)).toEqual(['workEmail', 'status', 'terminationDate', 'supervisorEId', 'supervisorId', 'supervisorEmail', '4047', 'customJobLevel']);
    expect(body.employees).toEqual([
      { id: '1', workEmail: 'jc@acme.example', status: 'Active', terminationDate: '0000-00-00', supervisorEId: null, supervisorId: null, supervisorEmail: null, '4047': 'L7', customJobLevel: 'L7' },
      { id: '2', workEmail: 'ca@acme.example', status: 'Active', terminationDate: '0000-00-00', supervisorEId: '1', supervisorId: '6', supervisorEmail: 'jc@acme.example', '4047': 'L3', customJobLevel: 'L3' },
      { id: '3', workEmail: 'gone@acme.example', status: 'Inactive', terminationDate: '2025-12-31', supervisorEId: null, supervisorId: null, supervisorEmail: null, '4047': null, customJobLevel: null },
    ]);
    const some = (await (await report({ fields: ['workEmail'], filters: { employeeIds: [2] } })).json()) as { employees: unknown[] };
    expect(some.employees).toEqual([{ id: '2', workEmail: 'ca@acme.example' }]);
  });

  it('custom report: JSON only with Content-Type exactly application/json; format case-insensitive or from Accept; at most 400 fields', async () => {
    const charset = await report({ fields: ['workEmail'] }, { headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect([charset.status, charset.headers.get('x-bamboohr-error-message')]).toEqual([400, 'Malformed XML']);
    for (const format of ['json', 'Json']) expect((await report({ fields: ['workEmail'] }, { query: `?format=${format}` })).status).toBe(200);
    expect((await report({ fields: ['workEmail'] }, { query: '' })).status).toBe(200);
    expect((await report({ fields: ['workEmail'] }, { query: '', headers: { accept: '*/*' } })).status).toBe(404);
    const xml = await report({ fields: ['workEmail'] }, { query: '?format=XML' });
    expect(await xml.text()).toContain('<field id="workEmail">ca@acme.example</field>');
    expect((await report({ fields: Array.from({ length: 401 }, (_, i) => `f${i}`) })).status).toBe(400);
    expect((await report('{"fields": [')).status).toBe(400);
    expect((await fetch(`${base()}/reports/custom`, { headers: { authorization: basic(TEST_BAMBOOHR_API_KEY) } })).status).toBe(405);
  });

  it('injected faults, one per request, in order: a status with Retry-After, a malformed body, a slow answer', async () => {
    api.inject({ kind: 'status', status: 429, retryAfter: '7' });
    api.inject({ kind: 'malformed', body: 'truncated' });
    api.inject({ kind: 'slow', delayMs: 60_000 });
    const throttled = await directory();
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '7']);
    await expect((await directory()).json()).rejects.toThrow();
    // The slow answer outlasts a client's patience; the stand-in lets go when the client does.
    const slow = await fetch(`${base()}/employees/directory`, { headers: { authorization: basic(TEST_BAMBOOHR_API_KEY) }, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((slow as Error).name).toBe('TimeoutError');
    expect(api.pendingFaults()).toBe(0);
    expect((await directory()).status).toBe(200);
  });
});
