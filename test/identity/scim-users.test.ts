// /Users through app.inject(), as an IdP calls it: create, read, filter, page, sort,
// project, replace, patch, ETags, uniqueness, inactive users, delete, and a YAML person
// adopted by the directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { ENTERPRISE, patchOp, scimApp, STIPEND, USER, type ScimApp } from './support/scim-app.ts';
import { directorySnapshot } from './support/snapshot.ts';

let t: TestDatabase;
let s: ScimApp;
beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  s = scimApp(t.handle.db, { jobLevel: { from: 'title', map: { 'Staff Engineer': 6, 'Senior Engineer': 4, Engineer: 2 } } });
});
afterAll(async () => {
  await s?.app.close();
  await t?.drop();
});

const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE],
  userName,
  name: { givenName: userName.split('@')[0], familyName: 'Test' },
  emails: [{ value: userName.toLowerCase(), type: 'work', primary: true }],
  active: true,
  ...extra,
});
const create = async (userName: string, extra: Record<string, unknown> = {}) => {
  const r = await s.request('POST', '/Users', user(userName, extra));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; meta: { version: string; location: string } } & Record<string, unknown>;
};
const person = (email: string) => t.handle.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
const filter = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;

describe('SCIM Users', () => {
  it('creates a User: 201, Location, weak ETag, application/scim+json, and the person it describes', async () => {
    const r = await s.request('POST', '/Users', user('Hedy.Lamarr@Acme.example', { title: 'Staff Engineer', userType: 'Employee', [ENTERPRISE]: { department: 'Engineering', costCenter: 'CC-ENG-001', division: 'R&D', employeeNumber: '1001', manager: { value: 'm-1', displayName: 'Boss' } } }));
    expect(r.statusCode).toBe(201);
    expect(r.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const body = r.json();
    expect(r.headers['location']).toBe(`https://stipend.example.com/scim/v2/Users/${body.id}`);
    expect(r.headers['etag']).toBe('W/"1"');
    expect(body).toMatchObject({
      schemas: [USER, ENTERPRISE, STIPEND],
      userName: 'Hedy.Lamarr@Acme.example',
      active: true,
      [ENTERPRISE]: { department: 'Engineering', manager: { value: 'm-1' } },
      [STIPEND]: { jobLevel: 6 }, // from the title, through the configured table
      meta: { resourceType: 'User', version: 'W/"1"', location: r.headers['location'] },
    });
    expect(await person('hedy.lamarr@acme.example')).toMatchObject({
      source: 'scim',
      user_name: 'Hedy.Lamarr@Acme.example',
      title: 'Staff Engineer',
      department: 'Engineering',
      cost_center: 'CC-ENG-001',
      division: 'R&D',
      employee_number: '1001',
      employee_type: 'Employee',
      manager_ref: 'm-1',
      job_level: 6,
      active: true,
      name: 'Hedy.Lamarr Test',
    });
    const got = await s.request('GET', `/Users/${body.id}`);
    expect(got.json()).toEqual(body);
  });

  it('finds a User by userName (case-insensitively) and answers an empty ListResponse for nobody', async () => {
    const found = await s.request('GET', filter('userName eq "HEDY.LAMARR@acme.example"'));
    expect(found.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    const none = await s.request('GET', filter('userName eq "nobody@acme.example"'));
    expect(none.json()).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('answers 409 uniqueness for a taken userName or email, and creates nothing', async () => {
    const before = await directorySnapshot(t.handle.db);
    for (const body of [user('hedy.lamarr@ACME.example'), user('other@acme.example', { emails: [{ value: 'hedy.lamarr@acme.example', primary: true }] })]) {
      const r = await s.request('POST', '/Users', body);
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' });
    }
    expect(await directorySnapshot(t.handle.db)).toBe(before);
  });

  it('pages, sorts and projects lists', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4']) await create(`${n}@page.example`, { title: 'Engineer' });
    const all = (await s.request('GET', filter('userName ew "@page.example"') + '&sortBy=userName&sortOrder=descending')).json();
    expect(all.totalResults).toBe(4);
    expect(all.Resources.map((u: { userName: string }) => u.userName)).toEqual(['p4@page.example', 'p3@page.example', 'p2@page.example', 'p1@page.example']);
    const page = (await s.request('GET', filter('userName ew "@page.example"') + '&sortBy=userName&startIndex=2&count=2')).json();
    expect(page).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    expect(page.Resources.map((u: { userName: string }) => u.userName)).toEqual(['p2@page.example', 'p3@page.example']);
    const counted = (await s.request('GET', '/Users?count=0')).json();
    expect(counted.itemsPerPage).toBe(0);
    expect(counted.totalResults).toBeGreaterThanOrEqual(5);
    const unfiltered = (await s.request('GET', '/Users?startIndex=2&count=2')).json();
    expect(unfiltered.Resources).toHaveLength(2);
    const only = (await s.request('GET', filter('userName eq "p1@page.example"') + '&attributes=userName,name.givenName')).json().Resources[0];
    expect(Object.keys(only).sort()).toEqual(['id', 'name', 'schemas', 'userName']);
    expect(only.name).toEqual({ givenName: 'p1' });
    const without = (await s.request('GET', filter('userName eq "p1@page.example"') + `&excludedAttributes=emails,${STIPEND}`)).json().Resources[0];
    expect(without.emails).toBeUndefined();
    expect(without[STIPEND]).toBeUndefined();
    expect(without.userName).toBe('p1@page.example');
    const searched = await s.request('POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title eq "Engineer"', count: 10 });
    expect(searched.json().totalResults).toBe(4);
  });

  it('replaces with PUT (attributes left out are cleared) and patches with PATCH, both 200 with the full resource', async () => {
    const created = await create('mover@acme.example', { title: 'Engineer', nickName: 'Mo', [ENTERPRISE]: { department: 'Engineering' } });
    const put = await s.request('PUT', `/Users/${created.id}`, user('mover@acme.example', { title: 'Senior Engineer', [ENTERPRISE]: { department: 'Product' } }));
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: created.id, title: 'Senior Engineer', [STIPEND]: { jobLevel: 4 }, meta: { version: 'W/"2"' } });
    expect(put.json().nickName).toBeUndefined();
    const patched = await s.request('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', path: 'title', value: 'Staff Engineer' }));
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ userName: 'mover@acme.example', title: 'Staff Engineer', [STIPEND]: { jobLevel: 6 }, [ENTERPRISE]: { department: 'Product' } });
    // An explicit jobLevel wins over the mapping; removing it falls back to the mapping.
    const explicit = await s.request('PATCH', `/Users/${created.id}`, patchOp({ op: 'add', path: `${STIPEND}:jobLevel`, value: 3 }));
    expect(explicit.json()[STIPEND]).toEqual({ jobLevel: 3 });
    const mapped = await s.request('PATCH', `/Users/${created.id}`, patchOp({ op: 'remove', path: `${STIPEND}:jobLevel` }));
    expect(mapped.json()[STIPEND]).toEqual({ jobLevel: 6 });
    expect((await person('mover@acme.example')).department).toBe('Product');
  });

  it('honours If-Match (412 on a stale version, nothing changed) and If-None-Match (304)', async () => {
    const created = await create('etag@acme.example');
    const stale = await s.request('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }), { 'if-match': 'W/"7"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ status: '412' });
    expect((await person('etag@acme.example')).title).toBeNull();
    const fresh = await s.request('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }), { 'if-match': created.meta.version });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['etag']).toBe('W/"2"');
    expect((await s.request('GET', `/Users/${created.id}`, undefined, { 'if-none-match': 'W/"2"' })).statusCode).toBe(304);
    expect((await s.request('DELETE', `/Users/${created.id}`, undefined, { 'if-match': 'W/"1"' })).statusCode).toBe(412);
  });

  it('keeps deactivated Users readable and listable (Entra reads them back)', async () => {
    const created = await create('sleeper@acme.example');
    await s.request('PATCH', `/Users/${created.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect((await s.request('GET', `/Users/${created.id}`)).json().active).toBe(false);
    expect((await s.request('GET', filter('userName eq "sleeper@acme.example" and active eq false'))).json().totalResults).toBe(1);
  });

  it('DELETE: 404 afterwards, keys revoked, history kept; provisioning the person again gives a new id on the same person', async () => {
    const created = await create('leaver@acme.example');
    const { key } = await createApiKey(t.handle.db, 'leaver@acme.example');
    expect(key).toMatch(/^sk-stipend-/);
    const before = await person('leaver@acme.example');
    expect((await s.request('DELETE', `/Users/${created.id}`)).statusCode).toBe(204);
    expect((await s.request('GET', `/Users/${created.id}`)).statusCode).toBe(404);
    expect((await s.request('DELETE', `/Users/${created.id}`)).statusCode).toBe(404);
    expect((await s.request('GET', filter('userName eq "leaver@acme.example"'))).json().totalResults).toBe(0);
    const after = await person('leaver@acme.example');
    expect(after).toMatchObject({ id: before.id, active: false });
    expect(after.deleted_at).toBeInstanceOf(Date);
    const keys = await t.handle.db.selectFrom('api_keys').select('revoked_at').where('person_id', '=', before.id).execute();
    expect(keys.every((k) => k.revoked_at !== null)).toBe(true);
    const again = await create('leaver@acme.example');
    expect(again.id).not.toBe(created.id);
    expect(await person('leaver@acme.example')).toMatchObject({ id: before.id, active: true, deleted_at: null });
  });

  it('adopts a person declared in YAML: same person, declared team kept, attributes from the directory', async () => {
    const ada = await person('ada@acme.example');
    expect(ada.source).toBe('yaml');
    const created = await create('ada@acme.example', { [ENTERPRISE]: { department: 'Research' } });
    expect(await person('ada@acme.example')).toMatchObject({ id: ada.id, source: 'scim', department: 'Research' });
    const teams = await t.handle.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['teams.name', 'team_members.declared'])
      .where('person_id', '=', ada.id)
      .execute();
    expect(teams).toEqual([{ name: 'engineering', declared: true }]);
    // A second User cannot take her email.
    const dup = await s.request('POST', '/Users', user('ada2@acme.example', { emails: [{ value: 'ADA@acme.example', type: 'work' }] }));
    expect(dup.statusCode).toBe(409);
    expect(created.userName).toBe('ada@acme.example');
  });
});
