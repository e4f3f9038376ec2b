// Amazon Bedrock Runtime for Anthropic models:
//   POST /model/{modelId}/invoke                        → the Messages response as JSON
//   POST /model/{modelId}/invoke-with-response-stream   → application/vnd.amazon.eventstream
// The body is Anthropic's Messages body with `anthropic_version: "bedrock-2023-05-31"`
// and without `model` or `stream` (the path says both). Every request is checked for
// a valid SigV4 signature (service `bedrock`, the configured region, ±5 min clock) or
// a Bedrock API key. Streams carry each Anthropic event as `{"bytes": base64(JSON)}`
// in a `chunk` event; the message_stop event also carries
// `amazon-bedrock-invocationMetrics`. Usage headers ride on the standard response.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseObject } from '../cloud/cloud-http.ts';
import type { BedrockStandInOptions } from '../cloud/cloud-options.ts';
import type { CloudRequest, StandIn } from '../cloud/cloud-request.ts';
import { relayTo } from '../cloud/relay.ts';
import { ROUTES } from '../mock-routes.ts';
import { awsErrorHeaders, bedrockDirectiveError, sendAwsError, type AwsError } from './bedrock-errors.ts';
import { bedrockChunk } from './event-stream-encoder.ts';
import { verifySigV4 } from './sigv4-verify.ts';
import type { IssuedAwsCredentials } from './sts.ts';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/**
 * The platform's documented version, or an Anthropic API version date: the official
 * Bedrock and Vertex SDKs (1.x) put the `anthropic-version` header's date (2026-10-21)
 * into the body instead, so the services must take it.
 */
export const acceptedVersion = (value: string, platform: string): boolean => value === platform || /^\d{4}-\d{2}-\d{2}$/.test(value);

/** `anthropic.claude-…-v1:0`, with an optional cross-region inference-profile prefix, or an ARN naming one. */
const MODEL_ID = /^(?:(?:us|eu|apac|global|us-gov|jp|au|ca)\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$/;
const ARN = /^arn:aws(?:-[a-z]+)?:bedrock:[a-z0-9-]+:\d*:(?:inference-profile|foundation-model|application-inference-profile)\/(.+)$/;

/** The Anthropic model name a Bedrock model id serves (what responses report as `model`). */
export function anthropicModelOf(modelId: string): string | undefined {
  const arn = ARN.exec(modelId);
  const id = arn ? arn[1]! : modelId;
  return MODEL_ID.exec(id)?.[1];
}

const malformed = (violations: readonly string[]): AwsError => ({
  status: 400,
  type: 'ValidationException',
  message: `Malformed input request: ${violations.join('')}, please reformat your input and try again.`,
});

/** Bedrock's JSON-schema check of the Claude body, worded as Bedrock words it. */
function checkBody(body: Record<string, unknown>): AwsError | null {
  const violations: string[] = [];
  for (const key of ['anthropic_version', 'max_tokens', 'messages']) if (!(key in body)) violations.push(`#: required key [${key}] not found`);
  for (const key of ['model', 'stream']) if (key in body) violations.push(`#: extraneous key [${key}] is not permitted`);
  if (typeof body.anthropic_version === 'string' && !acceptedVersion(body.anthropic_version, BEDROCK_ANTHROPIC_VERSION)) {
    violations.push(`#/anthropic_version: ${body.anthropic_version} is not a valid enum value`);
  }
  return violations.length > 0 ? malformed(violations) : null;
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function bedrockRelay(res: ServerResponse, requestId: string, startedAt: number) {
  let usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  let firstByteAt: number | undefined;
  return relayTo(res, {
    headers: (_status, streaming) => ({
      'x-amzn-RequestId': requestId,
      'content-type': streaming ? 'application/vnd.amazon.eventstream' : 'application/json',
      ...(streaming ? { 'x-amzn-bedrock-content-type': 'application/json' } : {}),
    }),
    body(status, text) {
      if (status !== 200) {
        // A body the Messages checks refused is Bedrock's ValidationException; other statuses are directives.
        const anthropic = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
        const e = status === 400 && anthropic !== undefined ? malformed([`#: ${anthropic}`]) : bedrockDirectiveError(status);
        return { status: e.status, body: JSON.stringify({ message: e.message }), headers: awsErrorHeaders(e.type, requestId) };
      }
      const u = (JSON.parse(text) as { usage?: Json }).usage ?? {};
      return {
        body: text,
        headers: {
          'x-amzn-bedrock-input-token-count': String(num(u.input_tokens)),
          'x-amzn-bedrock-output-token-count': String(num(u.output_tokens)),
          'x-amzn-bedrock-cache-read-input-token-count': String(num(u.cache_read_input_tokens)),
          'x-amzn-bedrock-cache-write-input-token-count': String(num(u.cache_creation_input_tokens)),
          'x-amzn-bedrock-invocation-latency': String(Date.now() - startedAt),
        },
      };
    },
    event(block) {
      const data = block.split('\n').find((l) => l.startsWith('data: '))?.slice(6);
      if (data === undefined) return '';
      const event = JSON.parse(data) as Json;
      firstByteAt ??= Date.now();
      if (event.type === 'message_start') {
        const u = ((event.message as Json | undefined)?.usage ?? {}) as Json;
        usage = { input: num(u.input_tokens), output: num(u.output_tokens), cacheRead: num(u.cache_read_input_tokens), cacheWrite: num(u.cache_creation_input_tokens) };
      } else if (event.type === 'message_delta') {
        usage = { ...usage, output: num((event.usage as Json | undefined)?.output_tokens) };
      } else if (event.type === 'message_stop') {
        event['amazon-bedrock-invocationMetrics'] = {
          inputTokenCount: usage.input,
          outputTokenCount: usage.output,
          invocationLatency: Date.now() - startedAt,
          firstByteLatency: firstByteAt - startedAt,
          cacheReadInputTokenCount: usage.cacheRead,
          cacheWriteInputTokenCount: usage.cacheWrite,
        };
      }
      return bedrockChunk(JSON.stringify(event));
    },
  });
}

/** `issued`: temporary credentials from the STS / Pod Identity stand-ins, accepted beside the configured keys. */
export function bedrockStandIn(options: BedrockStandInOptions, issued?: IssuedAwsCredentials): StandIn {
  const region = options.region ?? 'us-east-1';
  const apiKeys = new Set(options.apiKeys ?? []);

  return {
    owns: (path) => path.startsWith('/model/'),

    async serve(req: CloudRequest, res: ServerResponse, settings) {
      const requestId = randomUUID();
      const m = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(req.path);
      if (!m || req.method !== 'POST') return sendAwsError(res, { status: 404, type: 'UnknownOperationException', message: 'Unknown operation' }, requestId);

      const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
      if (bearer) {
        if (!apiKeys.has(bearer[1]!)) return sendAwsError(res, { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }, requestId);
      } else {
        const signed = verifySigV4(req, { region, service: 'bedrock', credentials: [...(options.credentials ?? []), ...(issued?.all() ?? [])], now: req.now });
        if (!signed.ok) return sendAwsError(res, signed, requestId);
      }

      const modelId = decodeURIComponent(m[1]!);
      const model = anthropicModelOf(modelId);
      if (model === undefined) return sendAwsError(res, { status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.' }, requestId);
      const body = parseObject(req.body);
      if (!body) return sendAwsError(res, malformed(['#: expected type: JSONObject']), requestId);
      const invalid = checkBody(body);
      if (invalid) return sendAwsError(res, invalid, requestId);

      const { anthropic_version: _version, ...messagesBody } = body;
      const stream = m[2] === 'invoke-with-response-stream';
      const reply = { res: bedrockRelay(res, requestId, req.startedAt), wire: 'anthropic' as const, requestId, startedAt: req.startedAt };
      await ROUTES['/v1/messages']!.serve({ ...messagesBody, model, stream }, reply, settings);
    },
  };
}
