// Verifies AWS Signature Version 4 on a request, as an AWS service front end does,
// following the published signing steps (docs.aws.amazon.com/IAM/latest/UserGuide/
// create-signed-request.html): canonical request → string to sign → signing key
// derived from the secret, date, region and service → HMAC-SHA256 signature.
// Paths are normalized and each segment URI-encoded twice (every service but S3).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AwsCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When set, the request must carry it as x-amz-security-token (temporary credentials). */
  readonly sessionToken?: string;
  /** Temporary credentials (STS) stop signing at this time, ms. */
  readonly expiresAt?: number;
}

export interface SigV4Expectation {
  readonly region: string;
  readonly service: string;
  readonly credentials: readonly AwsCredential[];
  /** Milliseconds since the epoch (injected so tests can move the clock). */
  readonly now: number;
}

/** Why a request was refused: AWS's error type (x-amzn-ErrorType) and message. */
export interface SigV4Failure {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

export type SigV4Result = { readonly ok: true; readonly accessKeyId: string } | ({ readonly ok: false } & SigV4Failure);

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS accepts a request time up to 5 minutes from its own clock. */
const SKEW_MS = 5 * 60 * 1000;

const fail = (type: string, message: string, status = 403): SigV4Result => ({ ok: false, status, type, message });

/** RFC 3986 encoding as AWS wants it: everything but A–Z a–z 0–9 - _ . ~ is %XX. */
export const awsEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical URI: dot segments and empty segments removed, each segment encoded (again). */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(awsEncode(segment));
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

/** The canonical query: pairs decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(rawQuery: string): string {
  const pairs = [...new URLSearchParams(rawQuery)].map(([k, v]) => [awsEncode(k), awsEncode(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => x.trim().replace(/\s+/g, ' ')).join(',');
};

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** `20250102T030405Z` → ms since the epoch; NaN when malformed. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

export const formatAmzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

interface ParsedAuthorization {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | SigV4Result {
  const rest = value.slice(ALGORITHM.length).trim();
  const fields = new Map<string, string>();
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    return fail('IncompleteSignatureException', `${missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ')} Authorization=${value.split(' ')[0]}`);
  }
  return { credential: fields.get('Credential')!, signedHeaders: fields.get('SignedHeaders')!, signature: fields.get('Signature')! };
}

export interface SignedRequest {
  readonly method: string;
  /** The request target as received: raw (still percent-encoded) path and query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function verifySigV4(req: SignedRequest, expect: SigV4Expectation): SigV4Result {
  const authorization = headerValue(req.headers, 'authorization');
  if (!authorization) return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    return fail('IncompleteSignatureException', `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${authorization.split(' ')[0]}`);
  }
  const parsed = parseAuthorization(authorization);
  if ('ok' in parsed) return parsed;

  const scope = parsed.credential.split('/');
  if (scope.length !== 5) return fail('IncompleteSignatureException', `Credential should have 5 parts: accessKeyId/date/region/service/aws4_request, got '${parsed.credential}'.`);
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope as [string, string, string, string, string];
  const credential = expect.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (credential.sessionToken !== undefined && headerValue(req.headers, 'x-amz-security-token') !== credential.sessionToken) {
    return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (credential.expiresAt !== undefined && credential.expiresAt <= expect.now) return fail('ExpiredTokenException', 'The security token included in the request is expired');

  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!amzDate) return fail('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) return fail('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  if (terminator !== 'aws4_request') return fail('InvalidSignatureException', "Credential should be scoped with a valid terminator: 'aws4_request'.");
  if (scopeDate !== amzDate.slice(0, 8)) {
    return fail('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (scopeRegion !== expect.region) return fail('InvalidSignatureException', `Credential should be scoped to a valid region. `);
  if (scopeService !== expect.service) return fail('InvalidSignatureException', `Credential should be scoped to correct service: '${expect.service}'. `);
  if (signedAt < expect.now - SKEW_MS) {
    return fail('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(expect.now - SKEW_MS)} (${formatAmzDate(expect.now)} - 5 min.)`);
  }
  if (signedAt > expect.now + SKEW_MS) {
    return fail('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(expect.now + SKEW_MS)} (${formatAmzDate(expect.now)} + 5 min.)`);
  }

  const signedHeaders = parsed.signedHeaders.split(';');
  if (!signedHeaders.includes('host')) return fail('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    signedHeaders.map((name) => `${name}:${headerValue(req.headers, name) ?? ''}\n`).join(''),
    parsed.signedHeaders,
    sha256Hex(req.body),
  ].join('\n');
  const credentialScope = `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac('sha256', signingKey(credential.secretAccessKey, scopeDate, scopeRegion, scopeService)).update(stringToSign).digest();
  const given = /^[0-9a-f]{64}$/.test(parsed.signature) ? Buffer.from(parsed.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, accessKeyId };
}
