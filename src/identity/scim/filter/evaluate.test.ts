import { describe, expect, it } from 'vitest';
import { GROUP_TYPE, USER_TYPE } from '../schema/resource-types.ts';
import { ScimError } from '../scim-errors.ts';
import { checkFilter, matches } from './evaluate.ts';
import { parseFilter } from './filter.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ada = {
  id: '9b1d6c3e-0000-4000-8000-000000000001',
  externalId: 'EXT-1',
  userName: 'Ada.Lovelace@Acme.example',
  title: 'Staff Engineer',
  active: true,
  emails: [
    { value: 'ada@acme.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  [ENTERPRISE]: { department: 'Engineering', costCenter: 'CC-ENG-001', manager: { value: 'boss-id' } },
  'urn:ietf:params:scim:schemas:extension:stipend:2.0:User': { jobLevel: 6 },
  meta: { created: '2026-01-10T09:00:00Z', lastModified: '2026-03-01T12:00:00Z' },
};

const test = (filter: string, resource: Record<string, unknown> = ada) => {
  const f = parseFilter(filter);
  checkFilter(f, USER_TYPE);
  return matches(f, resource, USER_TYPE);
};

describe('filter evaluation against a User', () => {
  it.each([
    ['userName eq "ada.lovelace@acme.example"', true], // userName is not case-exact
    ['USERNAME Eq "ADA.LOVELACE@ACME.EXAMPLE"', true],
    ['externalId eq "ext-1"', false], // externalId is case-exact
    ['externalId eq "EXT-1"', true],
    ['userName ne "someone"', true],
    ['title co "engineer"', true],
    ['title sw "Staff"', true],
    ['title ew "Manager"', false],
    ['title pr', true],
    ['nickName pr', false],
    ['active eq true', true],
    ['active eq false', false],
    ['emails.value eq "ada@home.example"', true], // any value of a multi-valued attribute
    ['emails co "home"', true], // a multi-valued complex attribute compares its value
    ['emails[type eq "work" and value ew "acme.example"]', true],
    ['emails[type eq "home" and primary eq true]', false],
    ['name.givenName eq "ada"', true],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Engineering"', true],
    ['department eq "Engineering"', true], // an extension attribute by its bare name
    ['costCenter eq "CC-ENG-001" and not (title eq "Intern")', true],
    ['urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel ge 6', true],
    ['urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel gt 6', false],
    ['urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel lt 7', true],
    ['urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel le 5', false],
    ['meta.lastModified gt "2026-02-01T00:00:00+01:00"', true],
    ['meta.created lt "2026-01-10T08:59:59Z"', false],
    ['manager.value eq "boss-id"', true],
    ['title eq null', false],
    ['nickName eq null', true],
    ['userName eq "nobody" or (title pr and active eq true)', true],
  ])('%s → %s', (filter, expected) => {
    expect(test(filter)).toBe(expected);
  });

  it.each([
    ['nosuch eq "x"', 'Unknown attribute'],
    ['active gt true', 'boolean'],
    ['active eq "true"', 'boolean'],
    ['urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel co 6', 'number'],
    ['urn:ietf:params:scim:schemas:extension:stipend:2.0:User:jobLevel eq "6"', 'number'],
    ['name eq "Ada"', 'complex'],
    ['meta.created gt "yesterday"', 'dateTime'],
    ['emails[nosuch eq "x"]', 'sub-attribute'],
    ['urn:example:unknown:2.0:User:x eq "1"', 'Unknown attribute'],
    ['emails[type eq "work"].value pr', 'Unexpected'], // a PATCH path, not a filter
  ])('refuses %s (400 invalidFilter)', (filter, message) => {
    try {
      test(filter);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).scimType).toBe('invalidFilter');
      expect((error as ScimError).message).toContain(message);
    }
  });

  it('filters Groups on members', () => {
    const group = { id: 'g', displayName: 'AI Pilot', members: [{ value: 'u1' }, { value: 'u2' }] };
    const check = (f: string) => {
      const parsed = parseFilter(f);
      checkFilter(parsed, GROUP_TYPE);
      return matches(parsed, group, GROUP_TYPE);
    };
    expect(check('displayName eq "ai pilot"')).toBe(true);
    expect(check('members[value eq "u2"]')).toBe(true);
    expect(check('members.value eq "u3"')).toBe(false);
    expect(check('members eq "u1"')).toBe(true);
  });
});
