import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Cookie values sealed with AES-256-GCM: the browser can neither read nor change them (a
 * changed byte fails authentication), and each purpose has its own key derived from the
 * session secret, so a login-state cookie is never accepted as a session.
 */
export interface Sealer {
  seal(payload: Readonly<Record<string, unknown>>, expiresAt: Date): string;
  /** The payload, or null when tampered with, sealed for another purpose, malformed or expired. */
  unseal(value: string, now: Date): Record<string, unknown> | null;
}

const IV = 12;
const TAG = 16;

export function createSealer(secret: string, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `stipend ${purpose} v1`, 32));
  const aad = Buffer.from(purpose, 'utf8');
  return {
    seal(payload, expiresAt) {
      const iv = randomBytes(IV);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
      const body = Buffer.concat([cipher.update(JSON.stringify({ ...payload, exp: Math.floor(expiresAt.getTime() / 1000) }), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    unseal(value, now) {
      if (!/^[A-Za-z0-9_-]{40,8000}$/.test(value)) return null;
      const raw = Buffer.from(value, 'base64url');
      if (raw.length < IV + TAG + 2) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV)).setAAD(aad);
        decipher.setAuthTag(raw.subarray(raw.length - TAG));
        const text = Buffer.concat([decipher.update(raw.subarray(IV, raw.length - TAG)), decipher.final()]).toString('utf8');
        const payload = JSON.parse(text) as unknown;
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
        const exp = (payload as { exp?: unknown }).exp;
        if (typeof exp !== 'number' || exp * 1000 <= now.getTime()) return null;
        return payload as Record<string, unknown>;
      } catch {
        return null;
      }
    },
  };
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface CookieOptions {
  readonly path: string;
  readonly maxAgeSeconds: number;
  readonly secure: boolean;
}

/** HttpOnly and SameSite=Lax always: the IdP's redirect back is a cross-site top-level GET, which Lax lets through. */
export function setCookie(name: string, value: string, o: CookieOptions): string {
  return `${name}=${encodeURIComponent(value)}; Path=${o.path}; HttpOnly; SameSite=Lax; Max-Age=${o.maxAgeSeconds}${o.secure ? '; Secure' : ''}`;
}

export const clearCookie = (name: string, path: string, secure: boolean): string =>
  `${name}=; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
