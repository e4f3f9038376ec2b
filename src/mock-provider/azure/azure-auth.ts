// Azure OpenAI credentials: an `api-key` header, or `Authorization: Bearer` with an
// Entra ID access token (RS256 JWT, audience https://cognitiveservices.azure.com)
// — and, so a gateway can use the client-credentials flow against it, the Entra ID
// token endpoint (`POST /{tenant}/oauth2/v2.0/token`), with the app's secret or a federated
// credential (AKS workload identity): `client_assertion_type=urn:ietf:params:oauth:
// client-assertion-type:jwt-bearer` and `client_assertion` = the pod's projected token from
// the cluster's issuer, audience api://AzureADTokenExchange, subject the app's federated one.
import type { KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendJsonWith } from '../cloud/cloud-http.ts';
import type { AzureStandInOptions, EntraClient } from '../cloud/cloud-options.ts';
import type { CloudRequest } from '../cloud/cloud-request.ts';
import { parseJwt, secondsClaim, signJwt, verifyRs256 } from '../cloud/jwt.ts';
import { AZURE_FEDERATION_AUDIENCE, type WorkloadIssuer } from '../cloud/workload-issuer.ts';
import { invalidKey, invalidToken, missingKey, type AzureError } from './azure-errors.ts';

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const AUDIENCES = new Set(['https://cognitiveservices.azure.com', 'https://cognitiveservices.azure.com/']);
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';
/** Entra ID tolerates 5 minutes of clock skew on nbf/exp. */
const SKEW_S = 300;
const TOKEN_LIFETIME_S = 3599;

export interface AzureAuth {
  /** null when the request may pass. */
  check(req: CloudRequest): AzureError | null;
  /** The token endpoint. */
  issueToken(req: CloudRequest, res: ServerResponse, tenantId: string): void;
}

export function azureAuth(
  options: AzureStandInOptions,
  apiKeys: readonly string[],
  signingKey: () => { publicKey: KeyObject; privateKey: KeyObject },
  workloadIssuer?: WorkloadIssuer,
): AzureAuth {
  const clients: readonly EntraClient[] = options.entraClients ?? [];
  const staticTokens = new Set(options.bearerTokens ?? []);
  const keys = new Set(apiKeys);

  const validJwt = (token: string, now: number): boolean => {
    const jwt = parseJwt(token);
    if (!jwt) return false;
    const issuers = [signingKey().publicKey, ...(options.issuerKeys ?? [])];
    if (!issuers.some((key) => verifyRs256(jwt, key))) return false;
    const aud = jwt.claims.aud;
    const exp = secondsClaim(jwt, 'exp');
    const nbf = secondsClaim(jwt, 'nbf') ?? 0;
    const nowS = now / 1000;
    return typeof aud === 'string' && AUDIENCES.has(aud) && exp !== undefined && exp + SKEW_S > nowS && nbf - SKEW_S <= nowS;
  };

  return {
    check(req) {
      const apiKey = req.headers['api-key'];
      if (typeof apiKey === 'string' && apiKey !== '') return keys.has(apiKey) ? null : invalidKey();
      const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
      if (!m) return missingKey();
      const token = m[1]!;
      // The v1 surface takes the API key as a bearer token (what the plain OpenAI client sends).
      if (keys.has(token) || staticTokens.has(token)) return null;
      if (token.split('.').length !== 3) return invalidKey();
      return validJwt(token, req.now) ? null : invalidToken();
    },

    issueToken(req, res, tenantId) {
      const form = new URLSearchParams(req.body.toString('utf8'));
      const fail = (status: number, error: string, code: number, description: string) =>
        sendJsonWith(res, status, { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date(req.now).toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() }, {});
      if (!clients.some((c) => c.tenantId === tenantId)) return fail(400, 'invalid_request', 90002, `Tenant '${tenantId}' not found.`);
      if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      const client = clients.find((c) => c.tenantId === tenantId && c.clientId === form.get('client_id'));
      if (!client) return fail(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenantId}'.`);
      const assertion = form.get('client_assertion');
      if (assertion !== null || form.get('client_assertion_type') !== null) {
        if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION) return fail(400, 'invalid_request', 50027, 'Invalid client_assertion_type.');
        const check = workloadIssuer?.verify(assertion ?? '', AZURE_FEDERATION_AUDIENCE, req.now);
        if (!check || (!check.ok && (check.reason === 'malformed' || check.reason === 'signature'))) return fail(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
        if (!check.ok && check.reason === 'expired') return fail(400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
        if (!check.ok || client.federatedSubject === undefined || check.subject !== client.federatedSubject) {
          const claims = parseJwt(assertion ?? '')?.claims ?? {};
          return fail(400, 'invalid_request', 70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims.iss ?? '')}'. Assertion Subject: '${String(claims.sub ?? '')}'. Assertion Audience: '${String(claims.aud ?? '')}'.`);
        }
      } else if (form.get('client_secret') !== client.clientSecret) {
        return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
      }
      if (form.get('scope') !== COGNITIVE_SERVICES_SCOPE) return fail(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.`);
      const iat = Math.floor(req.now / 1000);
      const claims = {
        aud: 'https://cognitiveservices.azure.com',
        iss: `https://sts.windows.net/${tenantId}/`,
        iat,
        nbf: iat,
        exp: iat + TOKEN_LIFETIME_S,
        appid: client.clientId,
        tid: tenantId,
        oid: randomUUID(),
        sub: client.clientId,
      };
      const token = signJwt(claims, signingKey().privateKey, 'stipend-mock');
      sendJsonWith(res, 200, { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: token }, {});
    },
  };
}
