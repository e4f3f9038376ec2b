import * as client from 'openid-client';
import type { PortalConfig } from './portal-config.schema.ts';

/** What the browser keeps (sealed) between the redirect to the IdP and its return. */
export interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** Where to go after signing in: a path on this server only. */
  readonly next: string;
}

/** The IdP could not be reached or did not answer as an OpenID provider: shown as a 503, retried on the next login. */
export class IdpUnavailableError extends Error {
  override readonly name = 'IdpUnavailableError';
}

/** The IdP's answer failed a check (state, nonce, PKCE, signature, issuer, audience) or reported an error. */
export class LoginFailedError extends Error {
  override readonly name = 'LoginFailedError';
}

export interface OidcLogin {
  start(next: string): Promise<{ readonly url: URL; readonly state: LoginState }>;
  /** Claims of the ID token, completed from userinfo when the email or groups claim is missing. */
  finish(callbackUrl: URL, state: LoginState): Promise<Readonly<Record<string, unknown>>>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * OpenID Connect authorization code flow with PKCE (S256), state and nonce, through
 * `openid-client`. Discovery happens on first use and again after a failure, so an IdP that
 * was down when the admin process started is picked up without a restart.
 */
export function createOidcLogin(config: PortalConfig): OidcLogin {
  const redirectUri = new URL('/portal/callback', config.publicUrl).toString();
  // Plain http only for an IdP on this machine (dev mode, tests); anything else must be https.
  const insecure = config.issuer.protocol === 'http:' && LOOPBACK.has(config.issuer.hostname);
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        config.issuer,
        config.clientId,
        config.clientSecret ?? undefined,
        config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None(),
        { timeout: 10, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
      )
      .catch((error: unknown) => {
        discovered = null;
        throw new IdpUnavailableError(`the sign-in provider ${config.issuer.href} did not answer discovery: ${(error as Error).message}`);
      });
    return discovered;
  };

  return {
    async start(next) {
      const c = await configuration();
      const state: LoginState = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next };
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: redirectUri,
        scope: config.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(state.verifier),
        code_challenge_method: 'S256',
        state: state.state,
        nonce: state.nonce,
      });
      return { url, state };
    },
    async finish(callbackUrl, state) {
      const c = await configuration();
      let tokens;
      try {
        tokens = await client.authorizationCodeGrant(c, callbackUrl, {
          pkceCodeVerifier: state.verifier,
          expectedState: state.state,
          expectedNonce: state.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (isNetworkError(error)) throw new IdpUnavailableError(`the sign-in provider did not answer: ${(error as Error).message}`);
        throw new LoginFailedError(describe(error));
      }
      const claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
      if ((claims[config.emailClaim] === undefined || claims[config.groupsClaim] === undefined) && tokens.access_token && c.serverMetadata().userinfo_endpoint) {
        try {
          const info = await client.fetchUserInfo(c, tokens.access_token, String(claims.sub));
          for (const [k, v] of Object.entries(info)) if (claims[k] === undefined) claims[k] = v;
        } catch {
          // The ID token's claims are enough to go on; the caller says what is missing.
        }
      }
      return claims;
    },
  };
}

function isNetworkError(error: unknown): boolean {
  const e = error as { name?: string; cause?: { code?: string } };
  return e?.name === 'TypeError' || e?.name === 'TimeoutError' || e?.name === 'AbortError' || typeof e?.cause?.code === 'string';
}

function describe(error: unknown): string {
  const e = error as { error?: string; error_description?: string; message?: string };
  if (e?.error) return e.error_description ? `${e.error}: ${e.error_description}` : e.error;
  return e?.message ?? 'the sign-in could not be completed';
}
