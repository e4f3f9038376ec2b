// Microsoft Entra ID's provisioning sequences, replayed as its documentation shows them
// (learn.microsoft.com: "Develop and plan provisioning for a SCIM endpoint" and "Known
// issues … SCIM 2.0 protocol compliance"), in both PATCH modes: the default one
// (capitalised ops, "True"/"False" strings, members removed by value, manager as a bare
// string) and the one a tenant URL with ?aadOptscim062020 selects (lower-case ops, real
// booleans, no-path replace with dotted and URN keys, members removed by value filter).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { applyResource } from '../../src/policy/apply-resources.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { ENTERPRISE, GROUP, PATCH_OP, scimApp, USER, type ScimApp } from './support/scim-app.ts';

let t: TestDatabase;
let runtime: DbHandle;
let s: ScimApp;
beforeAll(async () => {
  t = await createTestDatabase();
  const teams = `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: engineering, namespace: acme }
spec:
  costCenter: CC-ENG-001
  memberSelector: { department: Engineering }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: copilot-users, namespace: acme }
spec:
  memberSelector: { groups: [Copilot Users] }
`;
  for (const r of parseResources(teams, 'teams.yaml')) await applyResource(t.handle.db, r);
  // The admin process connects as the runtime role (stipend migrate's grants), not the owner.
  runtime = connectPostgres({ connectionString: t.runtimeUrl, maxConnections: 4 });
  s = scimApp(runtime.db);
});
afterAll(async () => {
  await s?.app.close();
  await runtime?.close();
  await t?.drop();
});

const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const person = (email: string) => t.handle.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
const teamsOf = async (email: string) =>
  (
    await t.handle.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .innerJoin('people', 'people.id', 'team_members.person_id')
      .select('teams.name')
      .where('people.email', '=', email)
      .orderBy('teams.name')
      .execute()
  ).map((r) => r.name);
const ok = async (method: string, url: string, body?: unknown) => {
  const r = await s.request(method, url, body);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
  return r.statusCode === 204 ? null : r.json();
};

/** The user-creation part both modes share: lookup by userName, create with roles: [], read back. */
async function provision(userName: string, mail: string, externalId: string) {
  const lookup = await ok('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
  expect(lookup.totalResults).toBe(0);
  const created = await ok('POST', '/Users', {
    schemas: [USER, ENTERPRISE],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: mail }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Ada Byron', familyName: 'Byron', givenName: 'Ada' },
    roles: [],
    [ENTERPRISE]: { department: 'Engineering', employeeNumber: '701' },
  });
  expect(created).toMatchObject({ userName, externalId, active: true });
  expect(created.roles).toBeUndefined();
  expect(await ok('GET', `/Users/${created.id}`)).toEqual(created);
  // Entra also looks users up by externalId and id.
  expect((await ok('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`)).Resources[0].id).toBe(created.id);
  return created.id as string;
}

describe('Entra ID, default PATCH behaviour', () => {
  let userId = '';
  let managerId = '';
  let groupId = '';

  it('creates users the way Entra does', async () => {
    managerId = await provision('boss@contoso.example', 'boss@contoso.example', 'e-boss');
    userId = await provision('Test_User_ab6490ee@contoso.example', 'ada.byron@contoso.example', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
    expect(await person('ada.byron@contoso.example')).toMatchObject({ source: 'scim', department: 'Engineering', active: true });
    expect(await teamsOf('ada.byron@contoso.example')).toEqual(['engineering']);
  });

  it('updates with capitalised ops, an Add on a value path, and the manager as a bare string', async () => {
    const patched = await ok('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'title', value: 'Staff Engineer' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada@contoso.example' },
        { op: 'Replace', path: 'name.familyName', value: 'Lovelace' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: managerId },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Research' },
      ],
    });
    expect(patched).toMatchObject({ title: 'Staff Engineer', emails: [{ primary: true, type: 'work', value: 'ada@contoso.example' }], name: { familyName: 'Lovelace', givenName: 'Ada' }, [ENTERPRISE]: { manager: { value: managerId }, department: 'Research' } });
    // The person follows: new email (same person), manager, department; the mover left engineering.
    expect(await person('ada@contoso.example')).toMatchObject({ title: 'Staff Engineer', manager_ref: managerId, department: 'Research' });
    expect(await teamsOf('ada@contoso.example')).toEqual([]);
  });

  it('disables with "False", reads the inactive user back, re-enables with "True"', async () => {
    const disabled = await ok('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(disabled.active).toBe(false);
    expect((await person('ada@contoso.example')).active).toBe(false);
    expect((await ok('GET', `/Users/${userId}`)).active).toBe(false);
    expect((await ok('GET', `/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee@contoso.example"')}`)).Resources[0].active).toBe(false);
    await ok('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect((await person('ada@contoso.example')).active).toBe(true);
  });

  it('groups: lookup by displayName without members, create with the ADSCIM schema, add and remove members by value, rename, delete', async () => {
    const lookup = await ok('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Copilot Users"')}`);
    expect(lookup.totalResults).toBe(0);
    const group = await ok('POST', '/Groups', { schemas: [GROUP, ADSCIM_GROUP], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Copilot Users', meta: { resourceType: 'Group' } });
    groupId = group.id;
    expect(group).toMatchObject({ displayName: 'Copilot Users', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    expect(await ok('GET', `/Groups/${groupId}?excludedAttributes=members`)).toMatchObject({ id: groupId, displayName: 'Copilot Users' });
    await ok('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }, { $ref: null, value: managerId }] }] });
    expect(await teamsOf('ada@contoso.example')).toEqual(['copilot-users']);
    const removed = await ok('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: userId }] }] });
    expect(removed.members).toEqual([{ value: managerId, $ref: `https://stipend.example.com/scim/v2/Users/${managerId}`, type: 'User' }]);
    expect(await teamsOf('ada@contoso.example')).toEqual([]);
    await ok('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Copilot Users (EU)' }] });
    expect(await teamsOf('boss@contoso.example')).toEqual(['engineering']); // out of copilot-users: the team selects the old name
    expect(await ok('DELETE', `/Groups/${groupId}`)).toBeNull();
  });

  it('deletes the user: 204, then 404; the person row and its history stay', async () => {
    expect(await ok('DELETE', `/Users/${userId}`)).toBeNull();
    expect((await s.request('GET', `/Users/${userId}`)).statusCode).toBe(404);
    expect(await person('ada@contoso.example')).toMatchObject({ active: false });
  });
});

describe('Entra ID with aadOptscim062020', () => {
  let userId = '';
  let managerId = '';

  it('creates, then replaces several attributes in one no-path operation with dotted and URN keys', async () => {
    managerId = await provision('mgr@fabrikam.example', 'mgr@fabrikam.example', 'f-mgr');
    userId = await provision('Test_User_dfeef4c5@fabrikam.example', 'grace@fabrikam.example', 'f-grace');
    const patched = await ok('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'replace',
          value: {
            displayName: 'Grace Hopper',
            'emails[type eq "work"].value': 'grace.hopper@fabrikam.example',
            'name.givenName': 'Grace',
            'name.familyName': 'Hopper',
            externalId: 'f-grace-2',
            [`${ENTERPRISE}:employeeNumber`]: '702',
            [`${ENTERPRISE}:manager`]: managerId,
            [`${ENTERPRISE}:department`]: 'Engineering',
          },
        },
      ],
    });
    expect(patched).toMatchObject({
      displayName: 'Grace Hopper',
      externalId: 'f-grace-2',
      emails: [{ type: 'work', value: 'grace.hopper@fabrikam.example', primary: true }],
      name: { givenName: 'Grace', familyName: 'Hopper', formatted: 'Ada Byron' },
      [ENTERPRISE]: { employeeNumber: '702', manager: { value: managerId }, department: 'Engineering' },
    });
    expect(await person('grace.hopper@fabrikam.example')).toMatchObject({ name: 'Grace Hopper', external_id: 'f-grace-2', employee_number: '702' });
    expect(await teamsOf('grace.hopper@fabrikam.example')).toEqual(['engineering']);
  });

  it('disables with a real boolean, and removes a group member by value filter', async () => {
    const group = await ok('POST', '/Groups', { schemas: [GROUP], displayName: 'Copilot Users', members: [{ value: userId }, { value: managerId }] });
    expect(await teamsOf('grace.hopper@fabrikam.example')).toEqual(['copilot-users', 'engineering']);
    await ok('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
    expect(await teamsOf('grace.hopper@fabrikam.example')).toEqual(['engineering']);
    expect((await ok('GET', `/Groups/${group.id}`)).members.map((m: { value: string }) => m.value)).toEqual([managerId]);
    const disabled = await ok('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(disabled.active).toBe(false);
    expect(await teamsOf('grace.hopper@fabrikam.example')).toEqual([]);
  });
});
