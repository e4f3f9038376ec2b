// The GCE metadata server as a GKE pod with Workload Identity reaches it
// (http://metadata.google.internal/computeMetadata/v1/…; google-auth-library and gcp-metadata
// take GCE_METADATA_HOST instead). Every request needs `Metadata-Flavor: Google` and none
// may carry `X-Forwarded-For` (both refused with 403, as the real server does); every answer
// carries `Metadata-Flavor: Google`, which the client libraries check.
//   GET /computeMetadata/v1/instance                                   detection
//   GET /computeMetadata/v1/instance/service-accounts/default/email    the bound Google account
//   GET /computeMetadata/v1/instance/service-accounts/{default|email}/token[?scopes=a,b]
//        → {"access_token","expires_in","token_type":"Bearer"}, a token Vertex AI accepts
//   GET /computeMetadata/v1/project/project-id
import type { ServerResponse } from 'node:http';
import type { CloudRequest, StandIn } from '../cloud/cloud-request.ts';
import { CLOUD_PLATFORM_SCOPE, type GoogleTokens } from './google-token.ts';

const FLAVOR = { 'metadata-flavor': 'Google', server: 'Metadata Server for VM', 'x-xss-protection': '0', 'x-frame-options': 'SAMEORIGIN' };

function send(res: ServerResponse, status: number, body: string, contentType = 'application/text'): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...FLAVOR, 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function metadataServerStandIn(tokens: GoogleTokens, account: () => string, project: string): StandIn {
  return {
    owns: (path) => path.startsWith('/computeMetadata/'),

    async serve(req: CloudRequest, res: ServerResponse) {
      if (req.headers['x-forwarded-for'] !== undefined) return send(res, 403, 'Request had an X-Forwarded-For header and was rejected.', 'text/html; charset=UTF-8');
      if (req.headers['metadata-flavor'] !== 'Google') {
        return send(res, 403, 'Missing required header "Metadata-Flavor": "Google"\n', 'text/html; charset=UTF-8');
      }
      if (req.method !== 'GET') return send(res, 405, 'Method not allowed\n', 'text/html; charset=UTF-8');
      const path = req.path.replace(/\/+$/, '');
      if (path === '/computeMetadata/v1/instance') return send(res, 200, 'attributes/\nhostname\nid\nservice-accounts/\nzone\n');
      if (path === '/computeMetadata/v1/project/project-id') return send(res, 200, project);
      const sa = /^\/computeMetadata\/v1\/instance\/service-accounts\/([^/]+)\/(email|token|scopes)$/.exec(path);
      const email = account();
      if (!sa || (sa[1] !== 'default' && decodeURIComponent(sa[1]!) !== email)) return send(res, 404, 'Not Found\n', 'text/html; charset=UTF-8');
      if (sa[2] === 'email') return send(res, 200, email);
      if (sa[2] === 'scopes') return send(res, 200, `${CLOUD_PLATFORM_SCOPE}\n`);
      const scopes = (req.query.get('scopes') ?? CLOUD_PLATFORM_SCOPE).split(',').map((s) => s.trim()).filter(Boolean);
      const { accessToken, expiresIn } = tokens.issue(email, scopes, req.now);
      send(res, 200, JSON.stringify({ access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' }), 'application/json');
    },
  };
}
