import { describe, expect, it } from 'vitest';
import { ScimError } from '../scim-errors.ts';
import { normalizeResource } from './normalize.ts';
import { applyPatch, PATCH_OP_SCHEMA } from './patch.ts';
import { GROUP_TYPE, USER_TYPE } from './resource-types.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ID = '2819c223-7f76-453a-919d-413861904646';
const user = {
  userName: 'bjensen',
  active: true,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  [ENTERPRISE]: { department: 'Tour Operations', manager: { value: 'm1', displayName: 'Boss' } },
};
const op = (...operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
/** A PATCH as the server applies it: operations, then the schema's rules. */
const patch = (body: unknown, doc: Record<string, unknown> = user) =>
  normalizeResource({ schemas: [USER_TYPE.schema.id], ...applyPatch(doc, body, USER_TYPE, ID) }, USER_TYPE, { requireSchemas: false });
const fails = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return (error as ScimError).scimType;
  }
  throw new Error('expected a ScimError');
};

describe('PATCH add / replace / remove', () => {
  it('replaces simple and sub-attributes, adds to multi-valued ones, keeps sub-attributes not named', () => {
    const out = patch(
      op(
        { op: 'replace', path: 'name', value: { givenName: 'Babs' } },
        { op: 'add', path: 'nickName', value: 'Babs' },
        { op: 'add', path: 'phoneNumbers', value: [{ value: '555-0100', type: 'work' }] },
        { op: 'add', path: 'emails', value: [{ value: 'bjensen@example.com', type: 'work', primary: true }] },
      ),
    );
    expect(out['name']).toEqual({ givenName: 'Babs', familyName: 'Jensen' });
    expect(out['nickName']).toBe('Babs');
    expect(out['phoneNumbers']).toEqual([{ value: '555-0100', type: 'work' }]);
    expect(out['emails']).toHaveLength(2); // the identical email was not added twice
  });

  it('targets values by a value filter, and creates the value an equality filter describes (Entra)', () => {
    const out = patch(
      op(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'barbara@example.com' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '555-0199' },
        { op: 'remove', path: 'emails[type eq "home"]' },
      ),
    );
    expect(out['emails']).toEqual([{ value: 'barbara@example.com', type: 'work', primary: true }]);
    expect(out['phoneNumbers']).toEqual([{ type: 'mobile', value: '555-0199' }]);
  });

  it('no-path replace takes dotted, value-path and URN keys (Entra with aadOptscim062020)', () => {
    const out = patch(
      op({
        op: 'replace',
        value: {
          displayName: 'Babs Jensen',
          'name.familyName': 'Jensen-Smith',
          'emails[type eq "work"].value': 'babs@example.com',
          [`${ENTERPRISE}:department`]: 'Sales',
          [`${ENTERPRISE}:manager`]: 'm2',
          active: 'False',
        },
      }),
    );
    expect(out).toMatchObject({ displayName: 'Babs Jensen', name: { givenName: 'Barbara', familyName: 'Jensen-Smith' }, active: false });
    expect((out['emails'] as object[])[0]).toEqual({ value: 'babs@example.com', type: 'work', primary: true });
    // The manager came as a bare string: it is the manager's id; the rest of the complex value stays.
    expect(out[ENTERPRISE]).toEqual({ department: 'Sales', manager: { value: 'm2' } });
  });

  it('no-path add with an extension object, and an unchanged id, as Okta sends them', () => {
    const out = patch(op({ op: 'add', value: { id: ID, [ENTERPRISE]: { costCenter: 'CC-1', schemas: [ENTERPRISE] } } }));
    expect(out[ENTERPRISE]).toMatchObject({ department: 'Tour Operations', costCenter: 'CC-1' });
  });

  it('removes an attribute, a sub-attribute, and a whole extension', () => {
    expect(patch(op({ op: 'remove', path: 'name.givenName' }))['name']).toEqual({ familyName: 'Jensen' });
    expect(patch(op({ op: 'remove', path: 'emails' }))['emails']).toBeUndefined();
    expect(patch(op({ op: 'remove', path: ENTERPRISE }))[ENTERPRISE]).toBeUndefined();
    expect(patch(op({ op: 'remove', path: 'emails[type eq "other"]' }))['emails']).toHaveLength(2); // nothing matched: nothing to do
  });

  it('removes group members by value list (Entra default) and by value filter (Entra flag, Okta)', () => {
    const group = { displayName: 'Pilot', members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };
    const run = (body: unknown) =>
      normalizeResource({ schemas: [GROUP_TYPE.schema.id], ...applyPatch(group, body, GROUP_TYPE, ID) }, GROUP_TYPE, { requireSchemas: false })['members'];
    expect(run(op({ op: 'Remove', path: 'members', value: [{ value: 'b' }] }))).toEqual([{ value: 'a' }, { value: 'c' }]);
    expect(run(op({ op: 'remove', path: 'members[value eq "c"]' }))).toEqual([{ value: 'a' }, { value: 'b' }]);
    expect(run(op({ op: 'add', path: 'members', value: [{ value: 'a', display: 'Ada' }, { value: 'd' }] }))).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: 'd' }]);
    expect(run(op({ op: 'replace', path: 'members', value: [{ value: 'z' }] }))).toEqual([{ value: 'z' }]);
    expect(run(op({ op: 'remove', path: 'members' }))).toBeUndefined();
  });

  it.each([
    [op({ op: 'replace', path: 'id', value: 'other' }), 'mutability'],
    [op({ op: 'replace', value: { id: 'other' } }), 'mutability'],
    [op({ op: 'add', path: 'groups', value: [{ value: 'g' }] }), 'mutability'],
    [op({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }), 'mutability'],
    [op({ op: 'replace', path: `${ENTERPRISE}:manager.displayName`, value: 'x' }), 'mutability'],
    [op({ op: 'remove' }), 'noTarget'],
    [op({ op: 'replace', path: 'addresses[primary eq true or type eq "work"].locality', value: 'x' }), 'noTarget'],
    [op({ op: 'replace', path: 'nosuch', value: 1 }), 'invalidPath'],
    [op({ op: 'replace', path: 'name[givenName eq "x"]', value: {} }), 'invalidPath'],
    [op({ op: 'replace', path: 'emails[type eq "work"', value: 'x' }), 'invalidPath'],
    [op({ op: 'add', path: 'title' }), 'invalidValue'],
    [op({ op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue'],
    [op({ op: 'replace', value: 'not an object' }), 'invalidValue'],
    [op({ op: 'move', path: 'title', value: 'x' }), 'invalidSyntax'],
    [{ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    [op(), 'invalidSyntax'],
    [op({ op: 'replace', value: { nosuch: 1 } }), 'invalidPath'],
    [op({ op: 'add', path: 'name', value: { nosuch: 'x' } }), 'invalidSyntax'],
  ])('refuses operation set %# with %s', (body, scimType) => {
    expect(fails(() => patch(body))).toBe(scimType);
  });
});

describe('input normalization', () => {
  it('accepts "True"/"False" booleans, a bare manager id, roles: [] and a single value for a list', () => {
    const doc = normalizeResource(
      {
        schemas: [USER_TYPE.schema.id, ENTERPRISE, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/User'],
        userName: 'u',
        active: 'True',
        roles: [],
        groups: [],
        password: 'secret',
        emails: { value: 'u@example.com', primary: 'false' },
        meta: { resourceType: 'User' },
        [ENTERPRISE]: { manager: 'boss', employeeNumber: '42' },
      },
      USER_TYPE,
      { requireSchemas: true },
    );
    expect(doc).toEqual({ userName: 'u', active: true, emails: [{ value: 'u@example.com', primary: false }], [ENTERPRISE]: { manager: { value: 'boss' }, employeeNumber: '42' } });
  });

  it.each([
    [{ userName: 'u' }, 'invalidSyntax'], // no schemas
    [{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], userName: 'u' }, 'invalidSyntax'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', favouriteColour: 'blue' }, 'invalidSyntax'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', 'urn:example:custom:2.0:User': { x: 1 } }, 'invalidSyntax'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', [ENTERPRISE]: { shoeSize: 44 } }, 'invalidSyntax'],
    [{ schemas: [USER_TYPE.schema.id], userName: ['u'] }, 'invalidValue'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', [ENTERPRISE]: { employeeNumber: 42 } }, 'invalidValue'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', active: 'yes' }, 'invalidValue'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', name: 'Ada' }, 'invalidValue'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'x'.repeat(5000) }, 'invalidValue'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', emails: Array.from({ length: 101 }, (_, i) => ({ value: `${i}@x` })) }, 'invalidValue'],
    [{ schemas: [USER_TYPE.schema.id], userName: 'u', 'urn:ietf:params:scim:schemas:extension:stipend:2.0:User': { jobLevel: 'senior' } }, 'invalidValue'],
    [[{ userName: 'u' }], 'invalidSyntax'],
  ])('refuses input %# with %s', (input, scimType) => {
    expect(fails(() => normalizeResource(input, USER_TYPE, { requireSchemas: true }))).toBe(scimType);
  });
});
