// Entra ID (Azure AD) access tokens for Azure OpenAI by the OAuth 2.0 client-credentials
// grant: POST {authority}/{tenant}/oauth2/v2.0/token with the app's id and secret and the
// scope https://cognitiveservices.azure.com/.default. Tokens live about an hour; they are
// cached and refreshed 5 minutes before expiry, and dropped when the secret rotates.
import { request, type Dispatcher } from 'undici';
import type { Secret } from './secrets.ts';
import { cachedToken, type TokenSource } from './token-source.ts';
import { UpstreamSetupError, trimUrl } from './upstream.ts';

export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';
export const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';

export interface EntraConfig {
  readonly upstream: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly authorityHost: string;
  readonly scope: string;
}

export function entraTokenSource(c: EntraConfig, deps: { readonly now: () => number; readonly dispatcher: Dispatcher }): TokenSource {
  const url = `${trimUrl(c.authorityHost)}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`;
  return cachedToken(
    async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret.value(), scope: c.scope });
      let status: number;
      let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
      try {
        const res = await request(url, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: deps.dispatcher, headersTimeout: 30_000, bodyTimeout: 30_000 });
        status = res.statusCode;
        body = (await res.body.json().catch(() => ({}))) as typeof body;
      } catch (error) {
        throw new UpstreamSetupError(`${c.upstream}: the Entra ID token endpoint could not be reached (${(error as Error).message})`);
      }
      const expiresIn = Number(body.expires_in);
      if (status !== 200 || typeof body.access_token !== 'string' || !Number.isFinite(expiresIn)) {
        // error_description names the AADSTS code and reason; it never carries the secret.
        const why = typeof body.error_description === 'string' ? body.error_description.split('\n')[0] : `HTTP ${status}`;
        throw new UpstreamSetupError(`${c.upstream}: Entra ID refused the client credentials: ${String(body.error ?? 'error')}: ${why}`);
      }
      return { token: body.access_token, expiresInMs: expiresIn * 1000 };
    },
    { now: deps.now, credentialVersion: () => c.clientSecret.version() },
  );
}
