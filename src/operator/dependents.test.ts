import { describe, expect, it } from 'vitest';
import { dependentsOfTeam } from './dependents.ts';

const obj = (namespace: string, name: string, teams: string[]) => ({ metadata: { namespace, name }, spec: { target: { teams } } });

describe('dependentsOfTeam', () => {
  it('finds the budgets and policies of the same namespace that name the team', () => {
    const budgets = [obj('acme', 'a', ['eng']), obj('acme', 'b', ['sales']), obj('other', 'c', ['eng'])];
    const policies = [obj('acme', 'p', ['sales', 'eng']), { metadata: { namespace: 'acme', name: 'q' } }];
    expect(dependentsOfTeam({ kind: 'Team', namespace: 'acme', name: 'eng' }, budgets, policies)).toEqual(['Budget/acme/a', 'ModelPolicy/acme/p']);
  });
});
