// A faithful stand-in for OpenAI and Anthropic (the only fake in the project): their
// wire formats, standard and streaming, with realistic usage. Used by the tests,
// `stipend dev` without credentials, and the benchmark.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { anthropicModels, messages } from './mock-anthropic.ts';
import { anthropicError, openAiError, type Timing } from './mock-http.ts';
import { chatCompletions, embeddings, models } from './mock-openai.ts';
import { lastUserText, parseDirectives, sleep } from './mock-request.ts';
import { responses } from './mock-responses.ts';

export interface MockProviderOptions {
  readonly host?: string;
  readonly port?: number;
  readonly latencyMs?: number;
  readonly tokenDelayMs?: number;
  readonly outputTokens?: number;
}

export interface MockCall {
  readonly method: string;
  readonly path: string;
  readonly model: string | undefined;
  readonly stream: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

export interface MockProvider {
  readonly url: string;
  readonly calls: readonly MockCall[];
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, (body: Record<string, unknown>, res: ServerResponse, timing: Timing) => Promise<void>> = {
  '/v1/chat/completions': chatCompletions,
  '/v1/responses': responses,
  '/v1/embeddings': (body, res) => embeddings(body, res),
  '/v1/messages': messages,
};

export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const calls: MockCall[] = [];
  const timing: Timing = { tokenDelayMs: options.tokenDelayMs ?? 0, outputTokens: options.outputTokens ?? 12 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const anthropic = path.startsWith('/v1/messages') || typeof req.headers['anthropic-version'] === 'string';
    const fail = (status: number, message: string) => (anthropic ? anthropicError(res, status, message) : openAiError(res, status, message));
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    let parsed = true;
    if (req.method === 'POST') {
      try {
        const value: unknown = JSON.parse(raw);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        body = value as Record<string, unknown>;
      } catch {
        parsed = false;
      }
    }
    calls.push({ method: req.method ?? 'GET', path, model: typeof body.model === 'string' ? body.model : undefined, stream: body.stream === true, headers: req.headers, body });

    const key = anthropic ? (req.headers['x-api-key'] ?? req.headers.authorization) : req.headers.authorization;
    if (!key || (typeof key === 'string' && !key.replace(/^Bearer\s*/i, ''))) return fail(401, 'Missing API key.');
    if (req.method === 'GET' && path === '/v1/models') return anthropic ? anthropicModels(res) : models(res);
    const route = ROUTES[path];
    if (req.method !== 'POST' || !route) return fail(404, `Unknown route ${req.method} ${path}`);
    if (!parsed) return fail(400, 'We could not parse the JSON body of your request.');
    if (typeof body.model !== 'string') return fail(400, 'you must provide a model parameter');
    const list = (body.messages ?? (typeof body.input === 'string' ? [body.input] : body.input)) as unknown;
    if (path !== '/v1/embeddings' && !Array.isArray(list)) return fail(400, "'messages' must be an array");
    const directives = path === '/v1/embeddings' ? {} : parseDirectives(lastUserText(list as unknown[]));
    await sleep(options.latencyMs ?? 0);
    if (directives.status) return fail(directives.status, `Mock provider error ${directives.status} (requested).`);
    await route(body, res, timing);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) openAiError(res, 500, 'mock provider failure');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    calls,
    reset: () => void calls.splice(0),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
