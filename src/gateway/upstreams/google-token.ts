// Google OAuth access tokens for Vertex AI from a service-account key (the JWT-bearer
// grant), by google-auth-library. The library always posts to Google's token URL
// (https://oauth2.googleapis.com/token, whatever the key file's token_uri says); a
// configured `tokenUrl` (a private endpoint, or a stand-in in tests) is reached by
// rewriting that one URL in the library's fetch. Tokens are cached and refreshed
// 5 minutes before expiry; a rotated key file is used from the next refresh on, and
// drops the token the old key obtained.
import { JWT } from 'google-auth-library';
import type { Secret } from './secrets.ts';
import { cachedToken, type TokenSource } from './token-source.ts';
import { UpstreamSetupError } from './upstream.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface GoogleTokenConfig {
  readonly upstream: string;
  /** A service-account key file (JSON, as Google issues it). */
  readonly serviceAccountKey: Secret;
  /** Where assertions are sent; default Google's. */
  readonly tokenUrl?: string;
}

interface KeyFile {
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
}

function parseKeyFile(upstream: string, text: string): KeyFile {
  let key: Partial<KeyFile>;
  try {
    key = JSON.parse(text) as Partial<KeyFile>;
  } catch {
    throw new UpstreamSetupError(`${upstream}: the service-account key is not JSON`);
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new UpstreamSetupError(`${upstream}: the service-account key has no client_email or private_key`);
  }
  return key as KeyFile;
}

/** Checks the key file at start-up, so a broken one fails the gateway's start, not the first request. */
export function checkServiceAccountKey(upstream: string, key: Secret): void {
  parseKeyFile(upstream, key.value());
}

export function googleTokenSource(c: GoogleTokenConfig, deps: { readonly now: () => number }): TokenSource {
  const redirect: typeof fetch | undefined =
    c.tokenUrl && c.tokenUrl !== GOOGLE_TOKEN_URL
      ? (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          return fetch(url === GOOGLE_TOKEN_URL ? c.tokenUrl! : url, init);
        }
      : undefined;
  return cachedToken(
    async () => {
      const key = parseKeyFile(c.upstream, c.serviceAccountKey.value());
      // A client per refresh: the library's own cache would otherwise answer from its clock.
      const jwt = new JWT({
        email: key.client_email,
        key: key.private_key,
        ...(key.private_key_id ? { keyId: key.private_key_id } : {}),
        scopes: [CLOUD_PLATFORM_SCOPE],
        ...(redirect ? { transporterOptions: { fetchImplementation: redirect } } : {}),
      });
      let credentials;
      try {
        credentials = await jwt.authorize();
      } catch (error) {
        // The library's message is Google's error (invalid_grant: …); it never holds the key.
        throw new UpstreamSetupError(`${c.upstream}: Google refused the service account's assertion: ${(error as Error).message.split('\n')[0]}`);
      }
      if (!credentials.access_token || !credentials.expiry_date) throw new UpstreamSetupError(`${c.upstream}: Google's token endpoint answered without a token`);
      return { token: credentials.access_token, expiresInMs: credentials.expiry_date - Date.now() };
    },
    { now: deps.now, credentialVersion: () => c.serviceAccountKey.version() },
  );
}
