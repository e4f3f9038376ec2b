import { describe, expect, it } from 'vitest';
import {
  budgetChanged,
  encodeChange,
  fullChange,
  keysChanged,
  MAX_IDS,
  MAX_PAYLOAD_BYTES,
  modelPolicyChanged,
  parseChange,
  personChanged,
  teamChanged,
} from './policy-change.ts';

describe('change payloads', () => {
  it('encodes every kind in the documented format', () => {
    expect(encodeChange(fullChange)).toEqual(['full']);
    expect(encodeChange(personChanged([7n, 3n, 7n]))).toEqual(['person:7,3']);
    expect(encodeChange(keysChanged([12n]))).toEqual(['key:12']);
    expect(encodeChange(teamChanged(5n))).toEqual(['team:5']);
    expect(encodeChange(budgetChanged(9n))).toEqual(['budget:9']);
    expect(encodeChange(modelPolicyChanged(11n))).toEqual(['policy:11']);
    expect(encodeChange(keysChanged([]))).toEqual([]); // nothing revoked: nothing to announce
  });

  it('parses what it encodes', () => {
    for (const change of [fullChange, personChanged([1n, 9_223_372_036_854_775_807n]), keysChanged([4n]), teamChanged(2n), budgetChanged(3n), modelPolicyChanged(8n)]) {
      const [payload] = encodeChange(change);
      expect(parseChange(payload!)).toEqual(change);
    }
  });

  it('splits long id lists into payloads Postgres accepts, and the parts add up', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => 1_000_000_000_000n + BigInt(i));
    const payloads = encodeChange(personChanged(ids));
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const back = payloads.flatMap((p) => {
      const change = parseChange(p);
      return change && change.kind === 'person' ? change.ids : [];
    });
    expect(back).toEqual(ids);
  });

  it('announces a change too large to list as full', () => {
    const ids = Array.from({ length: MAX_IDS + 1 }, (_, i) => BigInt(i + 1));
    expect(encodeChange(personChanged(ids))).toEqual(['full']);
  });

  it.each([
    [''],
    ['reconnected'],
    ['keys'],
    ['team:acme/engineering'],
    ['person:'],
    ['person:1,'],
    ['person:01'],
    ['person:-1'],
    ['person:1 '],
    ['budget:9223372036854775808'],
    ['people:1'],
    ['FULL'],
  ])('does not understand %j (the reader then rebuilds)', (payload) => {
    expect(parseChange(payload)).toBeNull();
  });

  it('refuses to build a change for an id that is not a row id', () => {
    expect(() => personChanged([0n])).toThrow('positive');
  });
});
