// A faithful stand-in for OpenAI and Anthropic (the only fake in the project): their
// wire formats, standard and streamed, errors, and realistic deterministic usage.
// Used by the tests, `stipend dev` without credentials, and the benchmark, so it is
// plain node:http. Serves exactly /v1/chat/completions, /v1/responses, /v1/embeddings,
// /v1/models and /v1/messages, and the cloud stand-ins' paths (cloud/cloud.ts).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CloudOptions, ServiceAccountKeyFile } from './cloud/cloud-options.ts';
import { createCloudStandIns } from './cloud/cloud.ts';
import type { MintOptions } from './cloud/workload-issuer.ts';
import { invalidJson, missingKey, tooLarge, unknownRoute, type Wire } from './mock-errors.ts';
import { randomId, readBody, sendError, sleep, type Reply } from './mock-http.ts';
import { anthropicModels, openAiModels } from './mock-models.ts';
import { ROUTES, type Settings } from './mock-routes.ts';

export interface MockProviderOptions {
  readonly host?: string;
  readonly port?: number;
  /** Delay before the response headers, for every request (default 0). */
  readonly latencyMs?: number;
  /** Delay between streamed content chunks (default 0). */
  readonly tokenDelayMs?: number;
  /** Completion length when the request doesn't force one (default 12). */
  readonly outputTokens?: number;
  /** Credentials of the cloud stand-ins (Azure OpenAI, Bedrock, Vertex AI, Gemini API); see docs/mock-provider.md. */
  readonly cloud?: CloudOptions;
}

export interface MockCall {
  readonly method: string;
  readonly path: string;
  readonly model: string | undefined;
  readonly stream: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
}

export interface MockProvider {
  readonly url: string;
  readonly calls: readonly MockCall[];
  /** The default Vertex AI service-account key file (token_uri → this mock's /token). */
  serviceAccountKey(): ServiceAccountKeyFile;
  /** A projected Kubernetes service-account token (audience sts.amazonaws.com, api://AzureADTokenExchange, …) the identity stand-ins accept. */
  workloadToken(options: MintOptions): string;
  reset(): void;
  close(): Promise<void>;
}

/** Bodies above this are refused with 413 (Anthropic's limit is 32 MB too). */
const BODY_LIMIT = 32 * 1024 * 1024;

const hasValue = (v: string | string[] | undefined): boolean => (Array.isArray(v) ? v.some(Boolean) : Boolean(v?.trim()));

/** Anthropic's clients send `anthropic-version` and `x-api-key`; OpenAI's send a bearer token. */
function wireOf(path: string, headers: IncomingHttpHeaders): Wire {
  if (path.startsWith('/v1/messages') || headers['anthropic-version'] !== undefined) return 'anthropic';
  return hasValue(headers['x-api-key']) && !hasValue(headers.authorization) ? 'anthropic' : 'openai';
}

const bearer = (headers: IncomingHttpHeaders): boolean => /^Bearer\s+\S/i.test(headers.authorization ?? '');

/** OpenAI wants a bearer token; Anthropic an x-api-key, or a bearer token (what @anthropic-ai/sdk 1.x sends). */
const authorized = (wire: Wire, headers: IncomingHttpHeaders): boolean =>
  bearer(headers) || (wire === 'anthropic' && hasValue(headers['x-api-key']));

function parseJson(raw: string): { readonly ok: boolean; readonly value: unknown } {
  if (raw === '') return { ok: false, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, value: raw };
  }
}

export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const calls: MockCall[] = [];
  const settings: Settings = { outputTokens: options.outputTokens ?? 12, tokenDelayMs: options.tokenDelayMs ?? 0, responses: new Map() };
  const latencyMs = options.latencyMs ?? 0;

  const handle = async (req: IncomingMessage, reply: Reply): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const raw = await readBody(req, BODY_LIMIT);
    const json = parseJson(raw ?? '');
    const body = json.value as { model?: unknown; stream?: unknown } | undefined;
    calls.push({ method, path, model: typeof body?.model === 'string' ? body.model : undefined, stream: body?.stream === true, headers: req.headers, body: json.value });
    await sleep(latencyMs);
    if (reply.res.destroyed) return;
    if (!authorized(reply.wire, req.headers)) return sendError(reply, missingKey(reply.wire));
    if (method === 'GET' && path === '/v1/models') return reply.wire === 'anthropic' ? anthropicModels(reply) : openAiModels(reply);
    const route = method === 'POST' ? ROUTES[path] : undefined;
    if (!route) return sendError(reply, unknownRoute(method, path));
    if (raw === null) return sendError(reply, tooLarge(BODY_LIMIT));
    if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) return sendError(reply, invalidJson(reply.wire));
    await route.serve(json.value, reply, settings);
  };

  let url = '';
  const cloud = createCloudStandIns(options.cloud ?? {}, { settings, latencyMs, record: (call) => calls.push(call), baseUrl: () => url });

  const server = createServer({ noDelay: true }, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (cloud.owns(req)) {
      return void cloud.handle(req, res).catch(() => (res.headersSent ? res.destroy() : res.writeHead(500).end()));
    }
    const reply: Reply = { res, wire: wireOf(path, req.headers), requestId: `req_${randomId()}`, startedAt: Date.now() };
    handle(req, reply).catch(() => {
      // Never let one request take the process down: answer 500, or cut a started stream.
      if (!res.headersSent && !res.destroyed) sendError(reply, { status: 500, message: 'The mock provider failed on this request.' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue, like the gateway's: the benchmark opens thousands of streams at once.
    server.listen({ port: options.port ?? 0, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    calls,
    serviceAccountKey: () => cloud.serviceAccountKey(url),
    workloadToken: (mint) => cloud.workloadToken(mint),
    reset: () => void calls.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve()); // resolves (with an error we ignore) when already closed
        server.closeAllConnections(); // keep-alive and streaming sockets too
      }),
  };
}
