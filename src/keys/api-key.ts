import { createHash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'sk-stipend-';

/** A new key: 32 random bytes, base64url. Shown once; only its hash is stored. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 is enough for 256-bit random keys: no dictionary to attack, and it is fast on the hot path. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What may be shown of a key in listings and logs: never enough to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 4);
}
