// BambooHR's API authentication: HTTP Basic, the API key as the user name and any password
// (integrations send "x"). A missing or unknown key is 401.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The API key a request carries, or undefined when it carries no Basic credentials. */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // No colon: not Basic credentials at all.
  if (colon < 0) return undefined;
  const key = decoded.slice(0, colon);
  return key === '' ? undefined : key;
}

export function isKnownKey(key: string | undefined, keys: readonly string[]): boolean {
  if (key === undefined) return false;
  const given = Buffer.from(key);
  return keys.some((k) => {
    const known = Buffer.from(k);
    return known.length === given.length && timingSafeEqual(known, given);
  });
}
