import { describe, expect, it } from 'vitest';
import { conditionsFor } from './conditions.ts';
import { conditionSchema } from './status.schema.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');
const byType = (cs: ReturnType<typeof conditionsFor>) => Object.fromEntries(cs.map((c) => [c.type, c.status]));

describe('conditionsFor', () => {
  it('ready, stalled and retrying map onto kstatus conditions', () => {
    expect(byType(conditionsFor({ ready: true, reason: 'Reconciled', message: '' }, 1))).toEqual({ Ready: 'True', Reconciling: 'False', Stalled: 'False' });
    expect(byType(conditionsFor({ ready: false, reason: 'MissingTeam', message: 'm' }, 1))).toEqual({ Ready: 'False', Reconciling: 'False', Stalled: 'True' });
    expect(byType(conditionsFor({ ready: false, reason: 'DatabaseUnavailable', message: 'm', retrying: true }, 1))).toEqual({ Ready: 'False', Reconciling: 'True', Stalled: 'False' });
  });

  it('keeps lastTransitionTime while a status stays, moves it when it flips, and records the generation', () => {
    const first = conditionsFor({ ready: false, reason: 'MissingTeam', message: 'm' }, 1, [], t0);
    const same = conditionsFor({ ready: false, reason: 'MissingTeam', message: 'm' }, 2, first, t1);
    expect(same.every((c) => c.lastTransitionTime === t0.toISOString() && c.observedGeneration === 2)).toBe(true);
    const flipped = conditionsFor({ ready: true, reason: 'Reconciled', message: '' }, 2, same, t1);
    expect(flipped.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(t1.toISOString());
    expect(flipped.find((c) => c.type === 'Reconciling')?.lastTransitionTime).toBe(t0.toISOString());
  });

  it('every condition is a valid metav1.Condition (the CRD would refuse the status otherwise), however long the message', () => {
    const huge = 'members.0.email: Invalid email address; '.repeat(5000);
    for (const outcome of [{ ready: true as const, reason: 'Reconciled', message: '' }, { ready: false as const, reason: 'InvalidSpec', message: huge }]) {
      for (const c of conditionsFor(outcome, 3, [], t0)) {
        expect(conditionSchema.parse(c)).toEqual(c);
        expect(c.message.length).toBeLessThanOrEqual(4000);
      }
    }
  });
});
