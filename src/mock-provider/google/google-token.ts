// Google's OAuth 2.0 token endpoint for service accounts (the JWT-bearer grant,
// RFC 7523, as developers.google.com/identity/protocols/oauth2/service-account
// describes it): `POST /token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
// and `assertion` = a JWT signed RS256 with the account's private key, claims iss
// (the account's email), scope, aud (the token URL), iat and exp (at most an hour
// apart). The stand-in verifies the signature with the account's public key and
// issues an opaque access token with `expires_in`; Vertex AI then accepts that
// token until it expires.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJsonWith } from '../cloud/cloud-http.ts';
import type { GoogleStandInOptions, ServiceAccount } from '../cloud/cloud-options.ts';
import type { CloudRequest } from '../cloud/cloud-request.ts';
import { parseJwt, secondsClaim, verifyRs256 } from '../cloud/jwt.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The audiences Google accepts in an assertion (google-auth-library sends the first). */
const GOOGLE_AUDIENCES = ['https://oauth2.googleapis.com/token', 'https://accounts.google.com/o/oauth2/token', 'https://www.googleapis.com/oauth2/v4/token'];
const MAX_ASSERTION_LIFETIME_S = 3600;
/** Leeway for clocks that differ a little (Google's is not published; tokens are refused well outside it). */
const LEEWAY_S = 300;
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface IssuedToken {
  readonly email: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

export type TokenCheck = { readonly ok: true; readonly token: IssuedToken } | { readonly ok: false; readonly reason: 'ACCESS_TOKEN_EXPIRED' | 'ACCESS_TOKEN_TYPE_UNSUPPORTED' };

export interface GoogleTokens {
  serveToken(req: CloudRequest, res: ServerResponse): void;
  check(accessToken: string, now: number): TokenCheck;
  /** A token for an account without an assertion: what the metadata server hands out. */
  issue(email: string, scopes: readonly string[], now: number): { readonly accessToken: string; readonly expiresIn: number };
}

const INVALID_TIMEFRAME = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

export function googleTokens(options: GoogleStandInOptions, defaultAccount: () => ServiceAccount): GoogleTokens {
  const issued = new Map<string, IssuedToken>();
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const accounts = (): readonly ServiceAccount[] => options.serviceAccounts ?? [defaultAccount()];

  return {
    serveToken(req, res) {
      const fail = (error: string, description: string) => sendJsonWith(res, 400, { error, error_description: description }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
      if (req.method !== 'POST') return fail('invalid_request', 'Invalid request method.');
      const form = new URLSearchParams(req.body.toString('utf8'));
      const grant = form.get('grant_type');
      if (grant !== JWT_BEARER) return fail('unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
      const jwt = parseJwt(form.get('assertion') ?? '');
      if (!jwt) return fail('invalid_request', 'Invalid JWT: invalid format.');
      const account = accounts().find((a) => a.email === jwt.claims.iss);
      if (!account) return fail('invalid_grant', 'Invalid grant: account not found');
      if (!verifyRs256(jwt, account.publicKey)) return fail('invalid_grant', 'Invalid JWT Signature.');
      const aud = jwt.claims.aud;
      if (typeof aud !== 'string' || ![...GOOGLE_AUDIENCES, `${req.baseUrl}/token`].includes(aud)) return fail('invalid_grant', 'Invalid JWT: Failed audience check.');
      const iat = secondsClaim(jwt, 'iat');
      const exp = secondsClaim(jwt, 'exp');
      const nowS = req.now / 1000;
      if (iat === undefined || exp === undefined || exp <= iat || exp - iat > MAX_ASSERTION_LIFETIME_S || exp + LEEWAY_S < nowS || iat - LEEWAY_S > nowS) return fail('invalid_grant', INVALID_TIMEFRAME);
      const scope = typeof jwt.claims.scope === 'string' ? jwt.claims.scope : '';
      if (scope === '') return fail('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
      const accessToken = `ya29.c.${randomBytes(48).toString('base64url')}`;
      issued.set(accessToken, { email: account.email, scopes: scope.split(' '), expiresAt: req.now + lifetime * 1000 });
      sendJsonWith(res, 200, { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
    },

    issue(email, scopes, now) {
      const accessToken = `ya29.c.${randomBytes(48).toString('base64url')}`;
      issued.set(accessToken, { email, scopes, expiresAt: now + lifetime * 1000 });
      return { accessToken, expiresIn: lifetime };
    },

    check(accessToken, now) {
      const token = issued.get(accessToken);
      if (!token) return { ok: false, reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' };
      if (token.expiresAt <= now) return { ok: false, reason: 'ACCESS_TOKEN_EXPIRED' };
      return { ok: true, token };
    },
  };
}
