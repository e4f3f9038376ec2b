import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointSchema, checkSignature, keyIdOf, signCheckpoint } from './checkpoint.ts';

const pair = () => generateKeyPairSync('ed25519');
const head = { seq: 1234n, hash: 'ab'.repeat(32) };
const at = new Date('2026-11-22T10:00:00.000Z');

describe('signed checkpoints', () => {
  it('signs the head, the time, the database and the key id; the document parses back', () => {
    const { privateKey, publicKey } = pair();
    const c = signCheckpoint(head, 'stipend', at, privateKey);
    expect(c).toMatchObject({ format: 'stipend.ledger-checkpoint.v1', database: 'stipend', seq: '1234', hash: head.hash, signedAt: '2026-11-22T10:00:00.000Z', keyId: keyIdOf(publicKey) });
    expect(checkpointSchema.parse(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(checkSignature(c, publicKey)).toBe('valid');
  });

  it('any changed field breaks the signature', () => {
    const { privateKey, publicKey } = pair();
    const c = signCheckpoint(head, 'stipend', at, privateKey);
    for (const altered of [{ ...c, hash: 'cd'.repeat(32) }, { ...c, seq: '1235' }, { ...c, signedAt: '2026-11-23T10:00:00.000Z' }, { ...c, database: 'other' }]) {
      expect(checkSignature(altered, publicKey)).toBe('invalid');
    }
  });

  it("another key's checkpoint is told apart from a forged one", () => {
    const mine = pair();
    const theirs = pair();
    const c = signCheckpoint(head, 'stipend', at, theirs.privateKey);
    expect(checkSignature(c, mine.publicKey)).toBe('other-key');
    // A forger who copies my key id still cannot sign for it.
    expect(checkSignature({ ...c, keyId: keyIdOf(mine.publicKey) }, mine.publicKey)).toBe('invalid');
  });

  it('the key id is the same from the private and the public half', () => {
    const { privateKey, publicKey } = pair();
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
    expect(keyIdOf(publicKey)).toMatch(/^ed25519:[0-9a-f]{16}$/);
  });
});
