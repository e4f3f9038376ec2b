// The Gemini API (generativelanguage.googleapis.com), v1beta and v1:
//   POST /v1beta/models/{model}:generateContent | :streamGenerateContent[?alt=sse] | :countTokens
//   GET  /v1beta/models[?pageSize&pageToken], GET /v1beta/models/{model}
// The key comes in `x-goog-api-key` or `?key=`: a missing key is 403 PERMISSION_DENIED
// ("unregistered callers"), a wrong one 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
import type { ServerResponse } from 'node:http';
import { parseObject, sendJsonWith } from '../cloud/cloud-http.ts';
import type { GoogleStandInOptions } from '../cloud/cloud-options.ts';
import type { CloudRequest, StandIn } from '../cloud/cloud-request.ts';
import { countTokens, generate, readGenerateBody } from './gemini-generate.ts';
import { GEMINI_MODELS, geminiModel, type GeminiModel } from './gemini-models.ts';
import { GOOGLE_HEADERS, errorInfo, sendGoogleError } from './google-errors.ts';

const SERVICE = 'generativelanguage.googleapis.com';
const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'] as const;
type Method = (typeof METHODS)[number];

const describeModel = (m: GeminiModel) => ({
  name: `models/${m.id}`,
  version: '001',
  displayName: m.displayName,
  description: `${m.displayName} (Stipend mock)`,
  inputTokenLimit: m.inputTokenLimit,
  outputTokenLimit: m.outputTokenLimit,
  supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
  temperature: 1,
  topP: 0.95,
  topK: 64,
  maxTemperature: 2,
  ...(m.thinking ? { thinking: true } : {}),
});

function listModels(req: CloudRequest, res: ServerResponse): void {
  const size = Math.min(1000, Math.max(1, Number(req.query.get('pageSize') ?? 50) || 50));
  const token = req.query.get('pageToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0 : 0;
  const page = GEMINI_MODELS.slice(offset, offset + size);
  const next = offset + size < GEMINI_MODELS.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
  sendJsonWith(res, 200, { models: page.map(describeModel), ...(next ? { nextPageToken: next } : {}) }, { ...GOOGLE_HEADERS, 'content-type': 'application/json; charset=UTF-8' });
}

export function geminiStandIn(options: GoogleStandInOptions): StandIn {
  const keys = new Set(options.geminiApiKeys ?? []);

  return {
    // GET /v1/models is also OpenAI's and Anthropic's: it is Gemini's when a Google API key comes with it.
    owns: (path, headers, rawQuery) =>
      path.startsWith('/v1beta/models') ||
      /^\/v1\/models\/[^/]+(?::|%3A)/i.test(path) ||
      (/^\/v1\/models(?:\/[^/]+)?$/.test(path) && (headers['x-goog-api-key'] !== undefined || new URLSearchParams(rawQuery).has('key'))),

    async serve(req, res, settings) {
      const key = (typeof req.headers['x-goog-api-key'] === 'string' ? req.headers['x-goog-api-key'] : undefined) ?? req.query.get('key') ?? '';
      if (key === '') {
        return sendGoogleError(res, {
          code: 403,
          message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        });
      }
      if (!keys.has(key)) {
        const message = 'API key not valid. Please pass a valid API key.';
        return sendGoogleError(res, { code: 400, message, details: [errorInfo('API_KEY_INVALID', SERVICE), { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message }] });
      }

      const m = /^\/(v1beta|v1)\/models(?:\/([^/:%]+)(?:(?::|%3A)([A-Za-z]+))?)?$/i.exec(req.path);
      if (!m) return sendGoogleError(res, { code: 404, message: 'Method not found.' });
      const [, version, id, method] = m as unknown as [string, string, string | undefined, string | undefined];
      if (req.method === 'GET' && id === undefined) return listModels(req, res);
      const model = id === undefined ? undefined : geminiModel(id);
      if (req.method === 'GET' && method === undefined) {
        if (!model) return sendGoogleError(res, { code: 404, message: `models/${id} is not found for API version ${version}.` });
        return sendJsonWith(res, 200, describeModel(model), { ...GOOGLE_HEADERS, 'content-type': 'application/json; charset=UTF-8' });
      }
      if (req.method !== 'POST' || !METHODS.includes(method as Method)) return sendGoogleError(res, { code: 404, message: 'Method not found.' });
      if (!model) {
        return sendGoogleError(res, {
          code: 404,
          message: `models/${id} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
        });
      }
      const raw = parseObject(req.body);
      if (!raw) return sendGoogleError(res, { code: 400, message: 'Invalid JSON payload received. Unexpected token.' });
      if (method === 'countTokens') {
        const counted = countTokens(raw, false);
        return counted.ok ? sendJsonWith(res, 200, counted.body, { ...GOOGLE_HEADERS, 'content-type': 'application/json; charset=UTF-8' }) : sendGoogleError(res, counted.error);
      }
      const read = readGenerateBody(raw, 'GenerateContent');
      if (!read.ok) return sendGoogleError(res, read.error);
      const stream = method === 'streamGenerateContent';
      await generate({ body: read.body, model, stream, sse: req.query.get('alt') === 'sse', vertex: false, res, settings, startedAt: req.startedAt });
    },
  };
}
