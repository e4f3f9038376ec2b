// The apply path every directory shares (SCIM now, HRIS pulls next): joiner, mover, leaver,
// unchanged (nothing written, nobody notified), dry run (reported, rolled back), removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPerson, removePersonIn, type ApplyPersonInput } from '../../src/identity/people/apply-person.ts';
import { personRecordSchema, type PersonRecordInput } from '../../src/identity/people/person-record.schema.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { applyResource } from '../../src/policy/apply-resources.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { notificationsDuring } from '../support/notifications.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const teams = `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: engineering, namespace: acme }
spec:
  memberSelector: { department: Engineering }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: sales, namespace: acme }
spec:
  members: [{ email: declared@acme.example }]
  memberSelector: { department: Sales }
`;
  for (const r of parseResources(teams, 'teams.yaml')) await applyResource(t.handle.db, r);
});
afterAll(async () => t?.drop());

const input = (record: PersonRecordInput): ApplyPersonInput => ({ source: 'hris', match: 'email', record: personRecordSchema.parse(record) });
const apply = (record: PersonRecordInput, dryRun = false) => applyPerson(t.handle.db, input(record), { dryRun });
// Every NOTIFY the action committed (a sentinel marks the end: no guessing how long to listen).
const notified = (action: () => Promise<unknown>) => notificationsDuring(t.handle, action);

describe('applyPerson', () => {
  const ada = { email: 'Ada@Acme.example', department: 'Engineering', jobLevel: 5, active: true, employeeNumber: 'E-1' };

  it('dry run: reports a joiner and keeps nothing', async () => {
    const change = await apply(ada, true);
    expect(change).toMatchObject({ kind: 'joiner', email: 'ada@acme.example', teamsBefore: [], teamsAfter: ['acme/engineering'], jobLevelAfter: 5 });
    expect(await t.handle.db.selectFrom('people').select('id').where('email', '=', 'ada@acme.example').execute()).toEqual([]);
  });

  it('joiner: written, placed by selector, gateways told', async () => {
    let change;
    const seen = await notified(async () => (change = await apply(ada)));
    expect(change).toMatchObject({ kind: 'joiner', teamsAfter: ['acme/engineering'] });
    expect(seen).toEqual([`person:${change!.personId}`]);
    expect(await t.handle.db.selectFrom('people').select(['source', 'employee_number', 'version']).where('email', '=', 'ada@acme.example').executeTakeFirst()).toEqual({ source: 'hris', employee_number: 'E-1', version: 1 });
  });

  it('the same record again: unchanged, nothing written, nobody notified', async () => {
    let change;
    const seen = await notified(async () => (change = await apply(ada)));
    expect(change).toMatchObject({ kind: 'unchanged', teamsAfter: ['acme/engineering'] });
    expect(seen).toEqual([]);
    expect((await t.handle.db.selectFrom('people').select('version').where('email', '=', 'ada@acme.example').executeTakeFirstOrThrow()).version).toBe(1);
  });

  it('mover: another department (teams) or another level (tier); other attributes: updated', async () => {
    expect(await apply({ ...ada, department: 'Sales' })).toMatchObject({ kind: 'mover', teamsBefore: ['acme/engineering'], teamsAfter: ['acme/sales'] });
    expect(await apply({ ...ada, department: 'Sales', jobLevel: 6 })).toMatchObject({ kind: 'mover', jobLevelBefore: 5, jobLevelAfter: 6 });
    expect(await apply({ ...ada, department: 'Sales', jobLevel: 6, title: 'Account Executive' })).toMatchObject({ kind: 'updated' });
  });

  it('leaver: inactive, out of selected teams (declared YAML membership stays); active again: joiner', async () => {
    // Declared in YAML (already active): the directory adopts the person, no joiner.
    const declared = await apply({ email: 'declared@acme.example', department: 'Sales', active: true });
    expect(declared).toMatchObject({ kind: 'updated', teamsBefore: ['acme/sales'], teamsAfter: ['acme/sales'] });
    expect(await apply({ email: 'declared@acme.example', department: 'Sales', active: false })).toMatchObject({ kind: 'leaver', teamsAfter: ['acme/sales'] });
    const leaver = await apply({ ...ada, department: 'Sales', jobLevel: 6, title: 'Account Executive', active: false });
    expect(leaver).toMatchObject({ kind: 'leaver', teamsBefore: ['acme/sales'], teamsAfter: [] });
    expect(await apply({ ...ada, department: 'Sales', jobLevel: 6, title: 'Account Executive' })).toMatchObject({ kind: 'joiner', teamsAfter: ['acme/sales'] });
  });

  it('removal: a leaver whose keys are revoked and who is marked deleted; their row stays', async () => {
    const { id: keyId } = await createApiKey(t.handle.db, 'ada@acme.example');
    const person = await t.handle.db.selectFrom('people').select('id').where('email', '=', 'ada@acme.example').executeTakeFirstOrThrow();
    const change = await t.handle.db.transaction().execute((tx) => removePersonIn(tx, BigInt(person.id)));
    expect(change).toMatchObject({ kind: 'leaver', teamsAfter: [] });
    const row = await t.handle.db.selectFrom('people').select(['active', 'deleted_at']).where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect(row.deleted_at).toBeInstanceOf(Date);
    expect((await t.handle.db.selectFrom('api_keys').select('revoked_at').where('id', '=', keyId).executeTakeFirstOrThrow()).revoked_at).toBeInstanceOf(Date);
    // Applied again (the directory lists them once more): the same person comes back, active.
    expect(await apply({ ...ada })).toMatchObject({ kind: 'joiner', personId: BigInt(person.id) });
  });
});
