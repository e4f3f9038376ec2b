// Amazon Bedrock for Anthropic's models. Clients keep calling /v1/messages; the gateway
// calls InvokeModel / InvokeModelWithResponseStream:
//   POST {endpoint}/model/{modelId}/invoke | /invoke-with-response-stream
// with the Messages body minus `model` and `stream` (the path says both), plus
// `anthropic_version: "bedrock-2023-05-31"` (and `anthropic_beta` from the client's
// header), signed with SigV4 (service `bedrock`) or sent with a Bedrock API key.
// Streams come back in AWS's event-stream framing, one Anthropic event per message;
// they are decoded back into Anthropic's SSE for the client. Errors (`{"message"}` with
// `x-amzn-ErrorType`) become Anthropic's error shape.
import type { Dispatcher } from 'undici';
import { createEventStreamDecoder, interpretBedrockMessage } from '../../providers/bedrock-event-stream.ts';
import type { UpstreamLog } from './direct.ts';
import { anthropicHeaders } from './direct.ts';
import type { Secret } from './secrets.ts';
import { sigV4Signer, type AwsCredentialProvider, type AwsCredentials } from './sigv4.ts';
import { asIs, errorResponse, readJson, refusedCredentials, type ErrorKind } from './upstream-response.ts';
import { trimUrl, without, type Upstream, type UpstreamResponse } from './upstream.ts';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

export interface BedrockConfig {
  readonly name: string;
  readonly region: string;
  /** Default https://bedrock-runtime.{region}.amazonaws.com (a VPC endpoint, or a stand-in in tests). */
  readonly endpoint?: string;
  /** Model → Bedrock model id or inference profile (`global.anthropic.claude-sonnet-4-5-20250929-v1:0`, an ARN). */
  readonly models: Readonly<Record<string, string>>;
  /** Static keys (rotated through the secret store), or temporary ones from a provider (web identity, Pod Identity). */
  readonly auth: { readonly sigv4: AwsCredentials | AwsCredentialProvider } | { readonly apiKey: Secret };
  readonly now: () => number;
  readonly log?: UpstreamLog;
}

/** Bedrock's modeled exceptions, as the client's SDK should see them. */
const KINDS: Readonly<Record<string, ErrorKind>> = {
  ValidationException: 'invalid_request',
  ThrottlingException: 'rate_limit',
  ServiceQuotaExceededException: 'rate_limit',
  ModelNotReadyException: 'overloaded',
  ServiceUnavailableException: 'overloaded',
  ModelTimeoutException: 'timeout',
  ModelStreamErrorException: 'upstream',
  ModelErrorException: 'upstream',
  InternalServerException: 'upstream',
};

/** Exceptions inside a stream (`:exception-type` is lowerCamel there) in Anthropic's `error` event types. */
const STREAM_ERROR_TYPES: Readonly<Record<string, string>> = {
  throttlingexception: 'rate_limit_error',
  servicequotaexceededexception: 'rate_limit_error',
  serviceunavailableexception: 'overloaded_error',
  modelnotreadyexception: 'overloaded_error',
  validationexception: 'invalid_request_error',
};

/** `ValidationException:http://internal.amazon.com/coral/…` → `ValidationException`. */
const errorType = (header: unknown): string => String(Array.isArray(header) ? header[0] : (header ?? '')).split(':')[0]!;

const EVENT_TYPE = /^\{\s*"type"\s*:\s*"([a-z_]+)"/;

/** The event-stream body as Anthropic SSE: `event: <type>` + `data: <the event JSON>`. */
async function* eventStreamToSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const decoder = createEventStreamDecoder();
  for await (const chunk of body) {
    let out = '';
    for (const message of decoder.push(chunk)) {
      const part = interpretBedrockMessage(message);
      if (part.kind === 'chunk') {
        const type = EVENT_TYPE.exec(part.json)?.[1] ?? (JSON.parse(part.json) as { type?: string }).type ?? 'message';
        out += `event: ${type}\ndata: ${part.json}\n\n`;
      } else if (part.kind === 'error') {
        const error = { type: 'error', error: { type: STREAM_ERROR_TYPES[part.type.toLowerCase()] ?? 'api_error', message: part.message } };
        out += `event: error\ndata: ${JSON.stringify(error)}\n\n`;
      }
    }
    if (out !== '') yield Buffer.from(out);
  }
  decoder.end();
}

/** A generated body that can also be read whole. */
export function generatedBody(source: AsyncIterable<Uint8Array>): UpstreamResponse['body'] {
  return {
    [Symbol.asyncIterator]: () => source[Symbol.asyncIterator](),
    async arrayBuffer() {
      const parts: Uint8Array[] = [];
      for await (const p of source) parts.push(p);
      const all = Buffer.concat(parts);
      return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
    },
  };
}

export function bedrockUpstream(c: BedrockConfig): Upstream {
  const endpoint = trimUrl(c.endpoint ?? `https://bedrock-runtime.${c.region}.amazonaws.com`);
  const sign = 'sigv4' in c.auth ? sigV4Signer(c.region, 'bedrock', c.auth.sigv4) : null;
  const apiKey = 'apiKey' in c.auth ? c.auth.apiKey : null;

  return {
    name: c.name,
    kind: 'bedrock',
    serves: (op, provider) => op === 'messages' && provider === 'anthropic',
    modelId: (m) => c.models[m.providerModelId] ?? c.models[m.model] ?? null,
    // Global cross-region profiles are billed at the base rate; geographic profiles and
    // in-region ids at the regional rate (docs/providers.md).
    priceScope: (modelId) => ({ platform: 'bedrock', scope: /^(?:arn:[^/]*\/)?global\./.test(modelId) ? 'global' : 'regional' }),
    async prepare(r) {
      const beta = anthropicHeaders(r)['anthropic-beta'];
      const body = JSON.stringify({
        ...without(r.body, 'model', 'stream'),
        anthropic_version: BEDROCK_ANTHROPIC_VERSION,
        ...(beta ? { anthropic_beta: beta.split(',').map((b) => b.trim()).filter(Boolean) } : {}),
      });
      const url = new URL(`${endpoint}/model/${encodeURIComponent(r.modelId)}/${r.stream ? 'invoke-with-response-stream' : 'invoke'}`);
      const headers = { 'content-type': 'application/json', accept: r.stream ? 'application/vnd.amazon.eventstream' : 'application/json' };
      if (apiKey) return { url: url.toString(), headers: { ...headers, authorization: `Bearer ${apiKey.value()}` }, body };
      return { url: url.toString(), headers: await sign!({ url, headers, body }, new Date(c.now())), body };
    },
    async adapt(response: Dispatcher.ResponseData, r) {
      const status = response.statusCode;
      if (status >= 400) {
        const { json } = await readJson(response);
        const type = errorType(response.headers['x-amzn-errortype']);
        const message = typeof (json as { message?: unknown } | null)?.message === 'string' ? (json as { message: string }).message : `HTTP ${status}`;
        // Refused signature or key, no access to the model, or an unknown model id: configuration.
        if (status === 401 || status === 403 || status === 404 || message === 'The provided model identifier is invalid.') {
          c.log?.({ upstream: c.name, status, detail: `${type}: ${message}` });
          return refusedCredentials(r.dialect, c.name, status);
        }
        return errorResponse(r.dialect, status, KINDS[type] ?? 'upstream', message);
      }
      if (!r.stream) return asIs(response);
      return { statusCode: status, headers: { ...response.headers, 'content-type': 'text/event-stream' }, body: generatedBody(eventStreamToSse(response.body)) };
    },
  };
}
