import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.ts';
import { runtimeRoleFrom } from './runtime-role-config.ts';

describe('runtime role configuration', () => {
  it('takes the role and password from the runtime URL, decoded', () => {
    expect(runtimeRoleFrom(undefined, 'postgres://stipend_app:p%40ss%2Fw@db:5432/stipend')).toEqual({ role: 'stipend_app', password: 'p@ss/w' });
    expect(runtimeRoleFrom(undefined, 'postgres://stipend_app@db/stipend')).toEqual({ role: 'stipend_app' });
  });

  it('takes a bare role name, which must agree with the URL when both are given', () => {
    expect(runtimeRoleFrom('stipend_app', undefined)).toEqual({ role: 'stipend_app' });
    expect(runtimeRoleFrom('stipend_app', 'postgres://stipend_app:pw@db/stipend')).toEqual({ role: 'stipend_app', password: 'pw' });
    expect(() => runtimeRoleFrom('other', 'postgres://stipend_app:pw@db/stipend')).toThrow(/differs from the user/);
    expect(runtimeRoleFrom(undefined, undefined)).toBeNull();
  });

  it('refuses names and URLs that cannot be right, as user mistakes', () => {
    for (const [role, url] of [['x; drop table people', undefined], ['', undefined], [undefined, 'not a url'], [undefined, 'postgres://db/stipend']] as const) {
      expect(() => runtimeRoleFrom(role, url)).toThrow(CliError);
    }
  });
});
