// Bad input answers an RFC 7644 §3.12 error (schemas, status as a string, scimType where one
// applies) and changes nothing: wrong credentials, malformed JSON, wrong media type, bodies
// too large, unknown attributes and paths, filter injection, oversized lists, and requests
// for what the server does not offer.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { ADMIN_TOKEN, ENTERPRISE, GROUP, patchOp, SCIM_TOKEN, scimApp, USER, type ScimApp } from './support/scim-app.ts';
import { directorySnapshot } from './support/snapshot.ts';

let t: TestDatabase;
let s: ScimApp;
let userId = '';
let groupId = '';
let before = '';
beforeAll(async () => {
  t = await createTestDatabase();
  s = scimApp(t.handle.db);
  userId = (await s.request('POST', '/Users', { schemas: [USER], userName: 'victim@acme.example', title: 'Engineer' })).json().id;
  groupId = (await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Victims', members: [{ value: userId }] })).json().id;
  // 1,005 more users straight into the table, to check that a list never answers more than 1,000.
  await sql`insert into people (email, user_name, source, source_document)
            select 'bulk' || i || '@acme.example', 'bulk' || i || '@acme.example', 'scim', jsonb_build_object('userName', 'bulk' || i || '@acme.example')
            from generate_series(1, 1005) as i`.execute(t.handle.db);
  before = await directorySnapshot(t.handle.db);
});
afterAll(async () => {
  await s?.app.close();
  await t?.drop();
});

const expectError = (r: { statusCode: number; json(): unknown; headers: Record<string, unknown> }, status: number, scimType?: string) => {
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  const body = r.json() as Record<string, unknown>;
  expect(body['schemas']).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  expect(body['status']).toBe(String(status));
  expect(body['detail']).toEqual(expect.any(String));
  expect(String(body['detail'])).not.toMatch(/\n\s+at /); // no stack trace
  if (scimType) expect(body['scimType']).toBe(scimType);
  else expect(body['scimType']).toBeUndefined();
};
const raw = (method: string, url: string, payload: string | Buffer, headers: Record<string, string>) =>
  s.app.inject({ method: method as 'POST', url: `/scim/v2${url}`, payload, headers: { authorization: `Bearer ${SCIM_TOKEN}`, ...headers } });

describe('credentials', () => {
  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer scim-token-0123456789abcdef0124' }],
    ['the admin token', { authorization: `Bearer ${ADMIN_TOKEN}` }],
    ['Basic credentials', { authorization: `Basic ${Buffer.from(`scim:${SCIM_TOKEN}`).toString('base64')}` }],
  ])('refuses %s with 401 and a Bearer challenge, before reading anything', async (_label, headers) => {
    for (const [method, url] of [['GET', '/Users'], ['DELETE', `/Users/${userId}`], ['GET', '/ServiceProviderConfig'], ['GET', '/no-such-endpoint']] as const) {
      const r = await s.app.inject({ method, url: `/scim/v2${url}`, headers });
      expectError(r, 401);
      expect(r.headers['www-authenticate']).toBe('Bearer realm="stipend-scim"');
    }
  });

  it('a SCIM token opens nothing else in the admin process', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/budgets', headers: { authorization: `Bearer ${SCIM_TOKEN}` } });
    expect(r.statusCode).toBe(401);
  });
});

describe('malformed requests', () => {
  it.each([
    ['POST', '/Users', '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": '],
    ['PUT', '/Users/:id', '{not json}'],
    ['PATCH', '/Users/:id', '[{"op":"replace"'],
    ['POST', '/Groups', '   '],
  ])('%s %s with broken JSON: 400 invalidSyntax', async (method, url, payload) => {
    expectError(await raw(method, url.replace(':id', userId), payload, { 'content-type': 'application/scim+json' }), 400, 'invalidSyntax');
  });

  it('a JSON array, a string or a PatchOp without its schema: 400 invalidSyntax', async () => {
    expectError(await s.request('POST', '/Users', [{ schemas: [USER], userName: 'x' }]), 400, 'invalidSyntax');
    expectError(await s.request('POST', '/Users', '"x"'), 400, 'invalidSyntax');
    expectError(await s.request('PATCH', `/Users/${userId}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
  });

  it('another media type: 415; a body over 2 MiB: 413', async () => {
    expectError(await raw('POST', '/Users', 'userName=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    const huge = JSON.stringify({ schemas: [USER], userName: 'big', nickName: 'x'.repeat(3 * 1024 * 1024) });
    expectError(await raw('POST', '/Users', huge, { 'content-type': 'application/scim+json' }), 413);
  });

  it('unknown attributes, sub-attributes, extensions and paths: 400, nothing written', async () => {
    expectError(await s.request('POST', '/Users', { schemas: [USER], userName: 'new@acme.example', salary: 100000 }), 400, 'invalidSyntax');
    expectError(await s.request('POST', '/Users', { schemas: [USER], userName: 'new@acme.example', name: { nick: 'x' } }), 400, 'invalidSyntax');
    expectError(await s.request('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: 'new@acme.example', [ENTERPRISE]: { grade: 'A' } }), 400, 'invalidSyntax');
    expectError(await s.request('PUT', `/Users/${userId}`, { schemas: [USER], userName: 'victim@acme.example', isAdmin: true }), 400, 'invalidSyntax');
    expectError(await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'add', path: 'isAdmin', value: true })), 400, 'invalidPath');
    expectError(await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', value: { isAdmin: true } })), 400, 'invalidPath');
    expectError(await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'G', owner: 'me' }), 400, 'invalidSyntax');
  });

  it('wrong types and missing required attributes: 400 invalidValue', async () => {
    expectError(await s.request('POST', '/Users', { schemas: [USER], userName: 42.5 }), 400, 'invalidValue');
    expectError(await s.request('POST', '/Users', { schemas: [USER], displayName: 'No userName' }), 400, 'invalidValue');
    expectError(await s.request('POST', '/Users', { schemas: [USER], userName: 'x@acme.example', active: 'sometimes' }), 400, 'invalidValue');
    expectError(await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'remove', path: 'userName' })), 400, 'invalidValue');
    expectError(await s.request('POST', '/Groups', { schemas: [GROUP], members: [] }), 400, 'invalidValue');
    expectError(await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel', value: -1 })), 400, 'invalidValue');
  });

  it('a PATCH is all or nothing: a valid operation before an invalid one is not applied', async () => {
    expectError(await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'id', value: 'hijack' })), 400, 'mutability');
    expectError(await s.request('PATCH', `/Groups/${groupId}`, patchOp({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'not-a-user' }] })), 400, 'invalidValue');
  });
});

describe('filters cannot inject', () => {
  const list = (filter: string) => s.request('GET', `/Users?filter=${encodeURIComponent(filter)}`);

  it.each([
    'userName eq "x" or 1 eq 1',
    "userName eq 'x' or '1'='1'",
    'userName eq "x"; drop table people; --',
    'userName eq "x") or (userName pr',
    'userName eq "x" union select * from api_keys',
    'password pr',
  ])('%s → 400 invalidFilter', async (filter) => {
    expectError(await list(filter), 400, 'invalidFilter');
  });

  it('quotes and SQL inside a string are just characters to compare', async () => {
    for (const literal of ['x" or "1" eq "1', "'; drop table people; --", '%', '_', '\\', 'victim@acme.example\u0000']) {
      const r = await list(`userName eq ${JSON.stringify(literal)} or title co ${JSON.stringify(literal)}`);
      expect(r.statusCode).toBe(200);
      expect(r.json().totalResults).toBe(0);
    }
    expect((await list('userName sw "vic"')).json().totalResults).toBe(1);
  });
});

describe('sizes and what is not offered', () => {
  it('lists never answer more than maxResults (1,000); count and startIndex must be integers', async () => {
    const big = (await s.request('GET', '/Users?count=100000')).json();
    expect(big.itemsPerPage).toBe(1000);
    expect(big.totalResults).toBe(1006);
    expect((await s.request('GET', `/Users?count=100000&filter=${encodeURIComponent('userName sw "bulk"')}`)).json().itemsPerPage).toBe(1000);
    expectError(await s.request('GET', '/Users?count=ten'), 400, 'invalidValue');
    expectError(await s.request('GET', '/Users?startIndex=1e9'), 400, 'invalidValue');
    expectError(await s.request('GET', '/Users?sortBy=salary'), 400, 'invalidValue');
    expectError(await s.request('GET', '/Users?attributes=userName&excludedAttributes=emails'), 400, 'invalidValue');
  });

  it('oversized lists in a request: 400 invalidValue', async () => {
    const emails = Array.from({ length: 101 }, (_, i) => ({ value: `a${i}@acme.example` }));
    expectError(await s.request('POST', '/Users', { schemas: [USER], userName: 'many@acme.example', emails }), 400, 'invalidValue');
    const operations = Array.from({ length: 1001 }, () => ({ op: 'replace', path: 'title', value: 'x' }));
    expectError(await s.request('PATCH', `/Users/${userId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations }), 400, 'invalidValue');
    const members = Array.from({ length: 10_001 }, (_, i) => ({ value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
    expectError(await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Everyone', members }), 400, 'invalidValue');
  });

  it('bulk, cross-type search and /Me: 501; writes to discovery endpoints: 405; unknown ids: 404', async () => {
    expectError(await s.request('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }), 501);
    expectError(await s.request('POST', '/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] }), 501);
    expectError(await s.request('GET', '/Me'), 501);
    expectError(await s.request('POST', '/Schemas', {}), 405);
    expectError(await s.request('DELETE', '/ServiceProviderConfig'), 405);
    expectError(await s.request('GET', '/Users/not-a-uuid'), 404);
    expectError(await s.request('PATCH', '/Users/00000000-0000-4000-8000-000000000000', patchOp({ op: 'replace', path: 'title', value: 'x' })), 404);
    expectError(await s.request('GET', '/Schemas/urn:example:nope'), 404);
  });

  it('after all of the above, nothing changed', async () => {
    expect(await directorySnapshot(t.handle.db)).toBe(before);
  });
});
