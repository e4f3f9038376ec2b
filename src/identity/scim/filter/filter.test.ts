import { describe, expect, it } from 'vitest';
import { ScimError } from '../scim-errors.ts';
import { parseFilter, parsePatchPath } from './filter.ts';

const scimType = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return (error as ScimError).scimType;
  }
  throw new Error('expected a ScimError');
};

describe('parseFilter', () => {
  it('parses comparisons, presence and literals', () => {
    expect(parseFilter('userName eq "bjensen"')).toMatchObject({ kind: 'compare', op: 'eq', path: { attr: 'userName' }, value: 'bjensen' });
    expect(parseFilter('title pr')).toMatchObject({ kind: 'present', path: { attr: 'title' } });
    expect(parseFilter('active EQ True')).toMatchObject({ op: 'eq', value: true });
    expect(parseFilter('x eq null')).toMatchObject({ value: null });
    expect(parseFilter('n ge -2.5e1')).toMatchObject({ op: 'ge', value: -25 });
    expect(parseFilter('displayName eq "a \\"quoted\\" name"')).toMatchObject({ value: 'a "quoted" name' });
  });

  it('binds not tighter than and, and tighter than or; parentheses group', () => {
    const f = parseFilter('a eq "1" or b eq "2" and not (c eq "3")');
    expect(f).toMatchObject({ kind: 'or', left: { path: { attr: 'a' } }, right: { kind: 'and', right: { kind: 'not', filter: { path: { attr: 'c' } } } } });
    expect(parseFilter('(a eq "1" or b eq "2") and c pr')).toMatchObject({ kind: 'and', left: { kind: 'or' } });
  });

  it('parses URN-qualified names, sub-attributes and value paths', () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"')).toMatchObject({
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attr: 'manager', sub: 'value' },
    });
    expect(parseFilter('emails[type eq "work" and value co "@acme"]')).toMatchObject({ kind: 'valuePath', path: { attr: 'emails' }, filter: { kind: 'and' } });
    expect(parseFilter('meta.lastModified gt "2026-01-01T00:00:00Z"')).toMatchObject({ path: { attr: 'meta', sub: 'lastModified' } });
  });

  it.each([
    ['userName eq'],
    ['userName eq "x" or'],
    ['userName equals "x"'],
    ['userName eq "unterminated'],
    ['userName eq "x"; drop table people; --'],
    ["userName eq 'x' or 1=1"],
    ['userName eq "x" or 1 eq 1'],
    ['(userName eq "x"'],
    ['emails[type eq "work"'],
    ['emails[type eq "work" and phones[type eq "x"]]'],
    ['a.b.c eq "x"'],
    ['userName eq unquoted'],
    [`${'a eq "1" or '.repeat(300)}a eq "1"`],
    ['x'.repeat(5000)],
  ])('refuses %j with invalidFilter', (text) => {
    expect(scimType(() => parseFilter(text))).toBe('invalidFilter');
  });
});

describe('parsePatchPath', () => {
  it('parses attribute paths, value paths and a sub-attribute after the filter', () => {
    expect(parsePatchPath('name.givenName')).toMatchObject({ path: { attr: 'name', sub: 'givenName' }, filter: null });
    expect(parsePatchPath('members[value eq "2819c223"]')).toMatchObject({ path: { attr: 'members' }, filter: { kind: 'compare', value: '2819c223' }, sub: null });
    expect(parsePatchPath('emails[type eq "work"].value')).toMatchObject({ path: { attr: 'emails' }, sub: 'value' });
    expect(parsePatchPath('addresses[type eq "work" and streetAddress co "]"].locality')).toMatchObject({ sub: 'locality' });
  });

  it.each([['emails[type eq "work"'], ['emails[type eq "work"]value'], ['name.givenName[x eq "1"]'], ['emails[type eq]']])('refuses %j with invalidPath', (text) => {
    expect(scimType(() => parsePatchPath(text))).toBe('invalidPath');
  });
});
