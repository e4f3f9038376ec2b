// Okta's SCIM 2.0 client, replayed from its documentation (developer.okta.com, "Okta and
// SCIM Version 2.0"): the connection test, lookup by userName before create, create with a
// password and an empty groups list, 409 on a duplicate, profile updates by PUT,
// deactivation by no-path replace and by PUT (Okta never DELETEs a user), and Group Push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { applyResource } from '../../src/policy/apply-resources.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { GROUP, PATCH_OP, scimApp, USER, type ScimApp } from './support/scim-app.ts';

let t: TestDatabase;
let s: ScimApp;
beforeAll(async () => {
  t = await createTestDatabase();
  const [team] = parseResources('apiVersion: stipend.dev/v1alpha1\nkind: Team\nmetadata: { name: scim-v2, namespace: acme }\nspec:\n  memberSelector: { groups: [Test SCIMv2] }\n', 't.yaml');
  await applyResource(t.handle.db, team!);
  s = scimApp(t.handle.db);
});
afterAll(async () => {
  await s?.app.close();
  await t?.drop();
});

const USERNAME = 'test.user@okta.local';
const query = (path: string, filter: string, extra = '&startIndex=1&count=100') => `${path}?filter=${encodeURIComponent(filter)}${extra}`;
const person = () => t.handle.db.selectFrom('people').selectAll().where('email', '=', USERNAME).executeTakeFirstOrThrow();
const inTeam = async () =>
  (await t.handle.db.selectFrom('team_members').innerJoin('people', 'people.id', 'team_members.person_id').select('team_id').where('people.email', '=', USERNAME).execute()).length > 0;
const oktaUser = (extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName: USERNAME,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: USERNAME, type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
  ...extra,
});

describe('Okta user lifecycle', () => {
  let id = '';

  it('passes the connection test (users and groups, constant paging)', async () => {
    for (const url of ['/Users?startIndex=1&count=2', '/Groups?startIndex=1&count=100']) {
      const r = await s.request('GET', url);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: expect.any(Number), startIndex: 1, itemsPerPage: expect.any(Number), Resources: expect.any(Array) });
    }
  });

  it('looks the user up by userName, creates it (the password is not kept), and gets 409 on a second create', async () => {
    expect((await s.request('GET', query('/Users', `userName eq "${USERNAME}"`))).json().totalResults).toBe(0);
    const created = await s.request('POST', '/Users', oktaUser());
    expect(created.statusCode).toBe(201);
    id = created.json().id;
    expect(created.json().password).toBeUndefined();
    expect(JSON.stringify(await person(), (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('1mz050nq');
    const again = await s.request('POST', '/Users', oktaUser());
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: expect.stringContaining(USERNAME) });
    const found = (await s.request('GET', query('/Users', `userName eq "${USERNAME}"`))).json();
    expect(found.Resources.map((u: { id: string }) => u.id)).toEqual([id]);
  });

  it('updates the profile with PUT (the whole user, as read back)', async () => {
    const current = (await s.request('GET', `/Users/${id}`)).json();
    const put = await s.request('PUT', `/Users/${id}`, { ...current, name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User', title: 'Engineer' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id, name: { givenName: 'Another', familyName: 'User' }, title: 'Engineer', active: true });
    expect(await person()).toMatchObject({ name: 'Another User', title: 'Engineer' });
  });

  it('deactivates with a no-path replace, reactivates, and deactivates with PUT active:false', async () => {
    const { key } = await createApiKey(t.handle.db, USERNAME);
    const off = await s.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await person()).active).toBe(false);
    const on = await s.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    expect(on.json().active).toBe(true);
    const current = (await s.request('GET', `/Users/${id}`)).json();
    const put = await s.request('PUT', `/Users/${id}`, { ...current, active: false });
    expect(put.statusCode).toBe(200);
    expect(put.json().active).toBe(false);
    expect((await person()).active).toBe(false);
    // Deactivation suspends keys (the gateway drops them); it does not revoke them: a rehire gets them back.
    const keys = await t.handle.db.selectFrom('api_keys').select('revoked_at').where('key_prefix', '=', key.slice(0, 15)).execute();
    expect(keys).toEqual([{ revoked_at: null }]);
    await s.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
  });
});

describe('Okta Group Push', () => {
  it('creates, finds, renames (with its id in the value), adds and removes members, deletes', async () => {
    const userId = (await s.request('GET', query('/Users', `userName eq "${USERNAME}"`))).json().Resources[0].id;
    const created = await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Test SCIMv2 (draft)', members: [] });
    expect(created.statusCode).toBe(201);
    const groupId = created.json().id;
    expect(created.json().members).toBeUndefined();
    const found = (await s.request('GET', query('/Groups', 'displayName eq "Test SCIMv2 (draft)"'))).json();
    expect(found.Resources.map((g: { id: string }) => g.id)).toEqual([groupId]);

    const renamed = await s.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Test SCIMv2' } }] });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().displayName).toBe('Test SCIMv2');

    const added = await s.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId, display: USERNAME }] }] });
    expect(added.json().members).toEqual([{ value: userId, $ref: `https://stipend.example.com/scim/v2/Users/${userId}`, type: 'User' }]);
    expect(await inTeam()).toBe(true);

    const removed = await s.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
    expect(removed.json().members).toBeUndefined();
    expect(await inTeam()).toBe(false);

    // Okta may also push the whole membership with PUT.
    const put = await s.request('PUT', `/Groups/${groupId}`, { schemas: [GROUP], id: groupId, displayName: 'Test SCIMv2', members: [{ value: userId, display: USERNAME }] });
    expect(put.statusCode).toBe(200);
    expect(await inTeam()).toBe(true);

    expect((await s.request('DELETE', `/Groups/${groupId}`)).statusCode).toBe(204);
    expect(await inTeam()).toBe(false);
    expect((await s.request('GET', query('/Groups', 'displayName eq "Test SCIMv2"'))).json().totalResults).toBe(0);
  });
});
