// Groups and Team memberSelectors on provisioned people: every SCIM change recomputes the
// person's teams in the same transaction (group membership, department, cost center,
// title, employee type, job level range), explicit YAML members stay, and a Team applied
// later selects the people already provisioned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyResource } from '../../src/policy/apply-resources.ts';
import { parseChange, personChanged } from '../../src/policy/policy-change.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { notificationsDuring } from '../support/notifications.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { ENTERPRISE, GROUP, patchOp, scimApp, STIPEND, USER, type ScimApp } from './support/scim-app.ts';
import { directorySnapshot } from './support/snapshot.ts';

let t: TestDatabase;
let s: ScimApp;
const ids: Record<string, string> = {};

const TEAMS = `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: ai-pilot, namespace: acme }
spec:
  costCenter: CC-AI-001
  members: [{ email: yaml-only@acme.example, jobLevel: 3 }]
  memberSelector: { groups: [AI Pilot] }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: finance-contractors, namespace: acme }
spec:
  memberSelector: { costCenter: CC-FIN-001, employeeType: Contractor }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: senior-engineers, namespace: acme }
spec:
  memberSelector: { department: Engineering, jobLevels: { min: 4, max: 5 }, title: Senior Engineer }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: emea, namespace: acme }
spec:
  memberSelector: { division: EMEA }
`;

beforeAll(async () => {
  t = await createTestDatabase();
  for (const r of parseResources(TEAMS, 'teams.yaml')) await applyResource(t.handle.db, r);
  s = scimApp(t.handle.db);
  for (const [name, extra] of [
    ['kim', { title: 'Senior Engineer', userType: 'Employee', [ENTERPRISE]: { department: 'Engineering', division: 'EMEA' }, [STIPEND]: { jobLevel: 4 } }],
    ['lee', { title: 'Analyst', userType: 'Contractor', [ENTERPRISE]: { costCenter: 'CC-FIN-001' } }],
    ['max', { title: 'Senior Engineer', [ENTERPRISE]: { department: 'Engineering' }, [STIPEND]: { jobLevel: 6 } }],
  ] as const) {
    const r = await s.request('POST', '/Users', { schemas: [USER, ENTERPRISE, STIPEND], userName: `${name}@acme.example`, ...extra });
    expect(r.statusCode, r.body).toBe(201);
    ids[name] = r.json().id;
  }
});
afterAll(async () => {
  await s?.app.close();
  await t?.drop();
});

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
// Every NOTIFY the action committed, all of them (a sentinel marks the end), not just the first to arrive.
const notifications = (action: () => Promise<unknown>) => notificationsDuring(t.handle, action);

describe('memberSelector on SCIM attributes', () => {
  it('places provisioned people by department, job level range, title, cost center, employee type and division', async () => {
    expect(await teamsOf('kim@acme.example')).toEqual(['emea', 'senior-engineers']);
    expect(await teamsOf('lee@acme.example')).toEqual(['finance-contractors']);
    expect(await teamsOf('max@acme.example')).toEqual([]); // level 6 is outside 4–5
  });

  it('recomputes on every change: a mover leaves and joins teams, and gateways are told', async () => {
    const seen = await notifications(() => s.request('PATCH', `/Users/${ids.max}`, patchOp({ op: 'replace', path: `${STIPEND}:jobLevel`, value: 5 })));
    expect(seen.some((p) => p.startsWith('person:'))).toBe(true);
    expect(await teamsOf('max@acme.example')).toEqual(['senior-engineers']);
    await s.request('PATCH', `/Users/${ids.lee}`, patchOp({ op: 'replace', path: 'userType', value: 'Employee' }));
    expect(await teamsOf('lee@acme.example')).toEqual([]);
  });
});

describe('Groups in memberSelectors', () => {
  let groupId = '';

  it('a Group with members places them in the team that selects the group (case-insensitive name)', async () => {
    const seen = await notifications(async () => {
      const r = await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'ai pilot', externalId: 'okta-00g1', members: [{ value: ids.kim }, { value: ids.lee, display: 'Lee' }] });
      expect(r.statusCode, r.body).toBe(201);
      groupId = r.json().id;
      expect(r.json()).toMatchObject({ displayName: 'ai pilot', externalId: 'okta-00g1', members: [{ value: ids.kim, type: 'User' }, { value: ids.lee, type: 'User' }] });
    });
    // Replicas are told exactly whose teams changed (policy-change.ts), not to reload everyone.
    const personIds = async (...emails: string[]) =>
      (await t.handle.db.selectFrom('people').select('id').where('email', 'in', emails).orderBy('id').execute()).map((r) => r.id);
    expect(seen.map(parseChange)).toContainEqual(personChanged(await personIds('kim@acme.example', 'lee@acme.example')));
    expect(await teamsOf('kim@acme.example')).toEqual(['ai-pilot', 'emea', 'senior-engineers']);
    expect(await teamsOf('lee@acme.example')).toEqual(['ai-pilot']);
    expect(await teamsOf('yaml-only@acme.example')).toEqual(['ai-pilot']);
    const kim = (await s.request('GET', `/Users/${ids.kim}`)).json();
    expect(kim.groups).toEqual([{ value: groupId, $ref: `https://stipend.example.com/scim/v2/Groups/${groupId}`, display: 'ai pilot', type: 'direct' }]);
  });

  it('removing a member, renaming the group and deleting it take people out; YAML members stay', async () => {
    await s.request('PATCH', `/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${ids.lee}"]` }));
    expect(await teamsOf('lee@acme.example')).toEqual([]);
    await s.request('PATCH', `/Groups/${groupId}`, patchOp({ op: 'replace', path: 'displayName', value: 'AI Pilot (old)' }));
    expect(await teamsOf('kim@acme.example')).toEqual(['emea', 'senior-engineers']);
    await s.request('PATCH', `/Groups/${groupId}`, patchOp({ op: 'replace', value: { id: groupId, displayName: 'AI Pilot' } }));
    expect(await teamsOf('kim@acme.example')).toEqual(['ai-pilot', 'emea', 'senior-engineers']);
    expect((await s.request('DELETE', `/Groups/${groupId}`)).statusCode).toBe(204);
    expect((await s.request('GET', `/Groups/${groupId}`)).statusCode).toBe(404);
    expect(await teamsOf('kim@acme.example')).toEqual(['emea', 'senior-engineers']);
    expect(await teamsOf('yaml-only@acme.example')).toEqual(['ai-pilot']);
    expect((await s.request('GET', `/Users/${ids.kim}`)).json().groups).toBeUndefined();
  });

  it('a Team applied after the people were provisioned selects them; a deactivated person leaves every selected team', async () => {
    const [team] = parseResources('apiVersion: stipend.dev/v1alpha1\nkind: Team\nmetadata: { name: all-eng, namespace: acme }\nspec:\n  memberSelector: { department: Engineering }\n', 't.yaml');
    await applyResource(t.handle.db, team!);
    expect(await teamsOf('max@acme.example')).toEqual(['all-eng', 'senior-engineers']);
    await s.request('PATCH', `/Users/${ids.max}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(await teamsOf('max@acme.example')).toEqual([]);
    await s.request('PATCH', `/Users/${ids.max}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(await teamsOf('max@acme.example')).toEqual(['all-eng', 'senior-engineers']);
  });

  it('refuses duplicate names (409), unknown members and nested groups (400), changing nothing', async () => {
    const first = await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Readers' });
    expect(first.statusCode).toBe(201);
    const before = await directorySnapshot(t.handle.db);
    const dup = await s.request('POST', '/Groups', { schemas: [GROUP], displayName: 'READERS' });
    expect(dup.json()).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const unknown = await s.request('PATCH', `/Groups/${first.json().id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids.kim }, { value: '00000000-0000-4000-8000-000000000000' }] }));
    expect(unknown.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const nested = await s.request('PATCH', `/Groups/${first.json().id}`, patchOp({ op: 'add', path: 'members', value: [{ value: first.json().id, type: 'Group' }] }));
    expect(nested.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(await directorySnapshot(t.handle.db)).toBe(before);
  });

  it('lists and filters groups, with members left out on request', async () => {
    await s.request('PATCH', `/Groups/${(await s.request('GET', `/Groups?filter=${encodeURIComponent('displayName eq "readers"')}`)).json().Resources[0].id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids.kim }] }));
    const list = (await s.request('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Readers"')}`)).json();
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0].members).toBeUndefined();
    const byMember = (await s.request('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ids.kim}"]`)}`)).json();
    expect(byMember.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['Readers']);
  });
});
