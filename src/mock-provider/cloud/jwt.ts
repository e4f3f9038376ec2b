// RS256 JSON Web Tokens (RFC 7519), signed and verified with node:crypto: what
// Google's token endpoint reads (service-account assertions) and what Entra ID
// issues (Azure OpenAI bearer tokens).
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export interface Jwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(claims: Readonly<Record<string, unknown>>, key: KeyObject, kid?: string): string {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64url(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

const objectOf = (part: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Splits a compact JWT; undefined when it is not three base64url parts with JSON objects. */
export function parseJwt(token: string): Jwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  const header = objectOf(parts[0]!);
  const claims = objectOf(parts[1]!);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
}

/** True when the JWT is RS256 and signed by `key`. */
export function verifyRs256(jwt: Jwt, key: KeyObject): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  try {
    return createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, jwt.signature);
  } catch {
    return false;
  }
}

/** A numeric claim (seconds since the epoch), or undefined. */
export const secondsClaim = (jwt: Jwt, name: string): number | undefined => {
  const v = jwt.claims[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
