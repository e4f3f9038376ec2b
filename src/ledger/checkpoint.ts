// Signed checkpoints of the ledger's chain head: the anchor outside the database. Someone
// who can rewrite the database (a superuser) can recompute every hash after editing a row,
// and the chain alone then verifies; a checkpoint signed earlier with a key the database
// never sees still names the old hash at its sequence number, so the rewrite shows.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { ChainHead } from './chain-head.ts';

export const CHECKPOINT_FORMAT = 'stipend.ledger-checkpoint.v1';

export const checkpointSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  database: z.string(),
  seq: z.string().regex(/^\d{1,19}$/, 'a decimal sequence number'),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256'),
  signedAt: z.iso.datetime(),
  keyId: z.string().regex(/^ed25519:[0-9a-f]{16}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** Names a public key: the first 64 bits of the SHA-256 of its SubjectPublicKeyInfo. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

/** What is signed: every field but the signature, one per line, in a fixed order. */
function signedText(c: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from([c.format, `database=${c.database}`, `seq=${c.seq}`, `hash=${c.hash}`, `signedAt=${c.signedAt}`, `keyId=${c.keyId}`].join('\n'), 'utf8');
}

export function signCheckpoint(head: ChainHead, database: string, signedAt: Date, privateKey: KeyObject): Checkpoint {
  const unsigned = { format: CHECKPOINT_FORMAT, database, seq: head.seq.toString(), hash: head.hash, signedAt: signedAt.toISOString(), keyId: keyIdOf(privateKey) } as const;
  return { ...unsigned, signature: sign(null, signedText(unsigned), privateKey).toString('base64') };
}

export type SignatureCheck = 'valid' | 'other-key' | 'invalid';

/** 'other-key': signed by a different key than this one (most likely the wrong key file); 'invalid': altered or forged. */
export function checkSignature(c: Checkpoint, publicKey: KeyObject): SignatureCheck {
  if (c.keyId !== keyIdOf(publicKey)) return 'other-key';
  const { signature, ...unsigned } = c;
  return verify(null, signedText(unsigned), publicKey, Buffer.from(signature, 'base64')) ? 'valid' : 'invalid';
}
