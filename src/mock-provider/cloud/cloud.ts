// The cloud stand-ins behind the mock's one port: Azure OpenAI (/openai/…, Entra ID
// token endpoint), Amazon Bedrock (/model/…), Vertex AI (/v1/projects/…, Google's
// token endpoint /token) and the Gemini API (/v1beta/…). Each checks credentials as
// its service does and answers with the same generated text and usage as the
// OpenAI/Anthropic routes, so the `mock:` directives work on every upstream.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { azureStandIn } from '../azure/azure.ts';
import { bedrockStandIn } from '../bedrock/bedrock.ts';
import { issuedAwsCredentials, stsStandIn } from '../bedrock/sts.ts';
import { geminiStandIn } from '../google/gemini-api.ts';
import { googleTokens } from '../google/google-token.ts';
import { metadataServerStandIn } from '../google/metadata-server.ts';
import { vertexStandIn } from '../google/vertex.ts';
import type { Settings } from '../mock-routes.ts';
import { readRawBody } from '../mock-http.ts';
import { TEST_AWS_CREDENTIAL, TEST_AWS_REGION, TEST_AZURE_API_KEY, TEST_ENTRA_CLIENT, TEST_GCP_PROJECT, TEST_GEMINI_API_KEY, TEST_SERVICE_ACCOUNT_EMAIL, lazyKeyPair, type CloudOptions, type ServiceAccountKeyFile } from './cloud-options.ts';
import type { CloudRequest, StandIn } from './cloud-request.ts';
import { createWorkloadIssuer, type MintOptions } from './workload-issuer.ts';

/** Bodies above this are refused with 413, as the mock's other routes do. */
const BODY_LIMIT = 32 * 1024 * 1024;

/** What the mock records of every call (the shape of MockCall). */
export interface CloudCall {
  readonly method: string;
  readonly path: string;
  readonly model: string | undefined;
  readonly stream: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** Credentials a client needs to reach each stand-in (the test defaults unless configured). */
export interface CloudStandInsInfo {
  /** A service-account key file for the default account, `token_uri` pointing at the stand-in. */
  serviceAccountKey(baseUrl: string): ServiceAccountKeyFile;
  /** A projected service-account token from the cluster's issuer, as the kubelet writes it into a pod. */
  workloadToken(options: MintOptions): string;
}

export interface CloudStandIns extends CloudStandInsInfo {
  owns(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface CloudContext {
  readonly settings: Settings;
  readonly latencyMs: number;
  readonly record: (call: CloudCall) => void;
  readonly baseUrl: () => string;
}

function describe(path: string, body: unknown): { model: string | undefined; stream: boolean } {
  const fromPath = /\/(?:deployments|models?)\/([^/:]+)/.exec(path)?.[1];
  const fromBody = body !== null && typeof body === 'object' ? (body as { model?: unknown; stream?: unknown }) : undefined;
  const model = fromPath !== undefined ? decodeURIComponent(fromPath) : typeof fromBody?.model === 'string' ? fromBody.model : undefined;
  const stream = /stream/i.test(path) || fromBody?.stream === true;
  return { model, stream };
}

const parseForRecord = (raw: Buffer): unknown => {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function createCloudStandIns(options: CloudOptions, ctx: CloudContext): CloudStandIns {
  const now = options.now ?? Date.now;
  const defaultAccountKey = lazyKeyPair();
  const google = options.google ?? {};
  const tokens = googleTokens(google, () => ({ email: TEST_SERVICE_ACCOUNT_EMAIL, publicKey: defaultAccountKey().publicKey }));
  const issuer = createWorkloadIssuer(now);
  const issuedAws = issuedAwsCredentials();
  const identity = options.identity ?? {};
  const standIns: readonly StandIn[] = [
    azureStandIn({ entraClients: [TEST_ENTRA_CLIENT], apiKeys: [TEST_AZURE_API_KEY], ...options.azure }, issuer),
    bedrockStandIn({ region: TEST_AWS_REGION, credentials: [TEST_AWS_CREDENTIAL], ...options.bedrock }, issuedAws),
    stsStandIn(identity, issuer, issuedAws),
    metadataServerStandIn(tokens, () => identity.metadataServiceAccount ?? TEST_SERVICE_ACCOUNT_EMAIL, google.projects?.[0] ?? TEST_GCP_PROJECT),
    vertexStandIn(google, tokens),
    geminiStandIn({ geminiApiKeys: [TEST_GEMINI_API_KEY], ...google }),
  ];
  const find = (req: IncomingMessage) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    return standIns.find((s) => s.owns(path, req.headers, q < 0 ? '' : url.slice(q + 1)));
  };

  return {
    owns: (req) => (req.url ?? '/').split('?')[0] === '/token' || find(req) !== undefined,

    workloadToken: (mint) => issuer.mint(mint),

    serviceAccountKey: (baseUrl) => ({
      type: 'service_account',
      project_id: google.projects?.[0] ?? TEST_GCP_PROJECT,
      private_key_id: 'stipend-mock-key',
      private_key: defaultAccountKey().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: TEST_SERVICE_ACCOUNT_EMAIL,
      client_id: '100000000000000000001',
      token_uri: `${baseUrl}/token`,
    }),

    async handle(req, res) {
      const startedAt = Date.now();
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const raw = await readRawBody(req, BODY_LIMIT);
      const recorded = raw === null ? undefined : parseForRecord(raw);
      ctx.record({ method: req.method ?? 'GET', path, ...describe(path, recorded), headers: req.headers as IncomingHttpHeaders, body: recorded });
      if (ctx.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.latencyMs));
      if (res.destroyed) return;
      if (raw === null) {
        res.writeHead(413, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ message: `Request exceeds the maximum allowed number of bytes (${BODY_LIMIT}).` }));
      }
      const request: CloudRequest = {
        method: req.method ?? 'GET',
        url,
        path,
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body: raw,
        startedAt,
        now: now(),
        baseUrl: ctx.baseUrl(),
      };
      if (path === '/token') return tokens.serveToken(request, res);
      await find(req)!.serve(request, res, ctx.settings);
    },
  };
}
