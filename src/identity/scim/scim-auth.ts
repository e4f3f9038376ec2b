import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bearer tokens for SCIM clients (one per IdP connection). Kept only as SHA-256 digests;
 * a configured entry `sha256:<hex>` is a digest already, so the Secret need not hold the
 * token itself. A presented token is compared with every digest in constant time.
 */
export function createScimTokenCheck(entries: readonly string[]): (presented: string) => boolean {
  const digests = entries.map((entry) => (/^sha256:[0-9a-f]{64}$/i.test(entry) ? Buffer.from(entry.slice(7), 'hex') : digest(entry)));
  return (presented) => {
    const d = digest(presented);
    let ok = false;
    for (const known of digests) ok = timingSafeEqual(d, known) || ok;
    return ok;
  };
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  return scheme?.toLowerCase() === 'bearer' && value !== '' ? value : null;
}

/** The form to put in a Secret instead of the token: `sha256:<hex>`. */
export const tokenDigest = (token: string) => `sha256:${digest(token).toString('hex')}`;
