// Entra ID (Azure AD) access tokens for Azure OpenAI by the OAuth 2.0 client-credentials
// grant: POST {authority}/{tenant}/oauth2/v2.0/token with the app's id, the scope
// https://cognitiveservices.azure.com/.default, and either the app's secret or — AKS
// workload identity — a federated credential: `client_assertion_type=urn:ietf:params:
// oauth:client-assertion-type:jwt-bearer` with the pod's projected service-account token
// (AZURE_FEDERATED_TOKEN_FILE) as `client_assertion`, read again on every refresh. Tokens
// live about an hour; they are cached and refreshed 5 minutes before expiry, and dropped
// when the secret rotates.
import { request, type Dispatcher } from 'undici';
import type { Secret } from './secrets.ts';
import { readTokenFile, type ReadFile } from './token-file.ts';
import { cachedToken, type TokenSource } from './token-source.ts';
import { UpstreamSetupError, trimUrl } from './upstream.ts';

export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';
export const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface EntraConfig {
  readonly upstream: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** The app's secret, or the path of a federated token (workload identity). */
  readonly credential: { readonly clientSecret: Secret } | { readonly federatedTokenFile: string };
  readonly authorityHost: string;
  readonly scope: string;
}

export function entraTokenSource(c: EntraConfig, deps: { readonly now: () => number; readonly dispatcher: Dispatcher; readonly readFile?: ReadFile }): TokenSource {
  const url = `${trimUrl(c.authorityHost)}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`;
  const federated = 'federatedTokenFile' in c.credential ? c.credential.federatedTokenFile : undefined;
  const secret = 'clientSecret' in c.credential ? c.credential.clientSecret : undefined;
  return cachedToken(
    async () => {
      const proof: Record<string, string> = federated
        ? { client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: readTokenFile(federated, `${c.upstream} (Entra ID workload identity)`, deps.readFile) }
        : { client_secret: secret!.value() };
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, ...proof, scope: c.scope });
      let status: number;
      let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
      try {
        const res = await request(url, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: deps.dispatcher, headersTimeout: 30_000, bodyTimeout: 30_000 });
        status = res.statusCode;
        body = (await res.body.json().catch(() => ({}))) as typeof body;
      } catch (error) {
        throw new UpstreamSetupError(`${c.upstream}: the Entra ID token endpoint ${url} could not be reached (${(error as Error).message})`, { transient: true });
      }
      const expiresIn = Number(body.expires_in);
      if (status !== 200 || typeof body.access_token !== 'string' || !Number.isFinite(expiresIn)) {
        // error_description names the AADSTS code and reason; it never carries the secret.
        const why = typeof body.error_description === 'string' ? body.error_description.split('\n')[0] : `HTTP ${status}`;
        if (status >= 500 || status === 429) throw new UpstreamSetupError(`${c.upstream}: the Entra ID token endpoint failed: ${why}`, { transient: true });
        const what = federated ? `the federated token from ${federated} (check the app's federated credential: issuer, subject system:serviceaccount:<namespace>:<name>, audience api://AzureADTokenExchange)` : 'the client credentials';
        throw new UpstreamSetupError(`${c.upstream}: Entra ID refused ${what}: ${String(body.error ?? 'error')}: ${why}`);
      }
      return { token: body.access_token, expiresInMs: expiresIn * 1000 };
    },
    { now: deps.now, credentialVersion: () => secret?.version() ?? 0 },
  );
}
