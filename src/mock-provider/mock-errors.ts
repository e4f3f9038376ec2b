// Error bodies in each provider's shape, so clients (and the SDKs' error classes)
// see what the real APIs send.
import type { z } from 'zod';

export type Wire = 'openai' | 'anthropic';

/** An error the mock answers with: status, message and, for OpenAI, param and code. */
export interface MockError {
  readonly status: number;
  readonly message: string;
  readonly param?: string | null;
  readonly code?: string | null;
}

const OPENAI_TYPES: Readonly<Record<number, string>> = { 429: 'requests' };
const OPENAI_CODES: Readonly<Record<number, string>> = { 429: 'rate_limit_exceeded' };

const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** `{"error":{"message","type","param","code"}}` */
export function openAiErrorBody(e: MockError): unknown {
  const type = OPENAI_TYPES[e.status] ?? (e.status >= 500 ? 'server_error' : 'invalid_request_error');
  return { error: { message: e.message, type, param: e.param ?? null, code: e.code ?? OPENAI_CODES[e.status] ?? null } };
}

/** `{"type":"error","error":{"type","message"},"request_id"}` */
export function anthropicErrorBody(e: MockError, requestId: string): unknown {
  const type = ANTHROPIC_TYPES[e.status] ?? (e.status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message: e.message }, request_id: requestId };
}

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad request.',
  401: 'Invalid authentication.',
  403: 'You are not allowed to use this model.',
  404: 'The model does not exist or you do not have access to it.',
  429: 'Rate limit reached for requests. Please try again in 1s.',
  500: 'The server had an error while processing your request. Sorry about that!',
  503: 'The service is temporarily unavailable. Please try again later.',
  529: 'Overloaded',
};

/** The error a `mock:status=N` directive asks for. */
export const directiveError = (status: number): MockError => ({
  status,
  message: `${DEFAULT_MESSAGES[status] ?? `Error ${status}.`} (mock:status=${status})`,
});

export const missingKey = (wire: Wire): MockError =>
  wire === 'anthropic'
    ? { status: 401, message: 'x-api-key header is required' }
    : { status: 401, message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)." };

export const invalidJson = (wire: Wire): MockError =>
  wire === 'anthropic'
    ? { status: 400, message: 'There was an error parsing the body of your request' }
    : { status: 400, message: 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.' };

export const unknownRoute = (method: string, path: string): MockError => ({ status: 404, message: `Invalid URL (${method} ${path})` });

export const tooLarge = (limit: number): MockError => ({ status: 413, message: `Request exceeds the maximum allowed number of bytes (${limit}).` });

/** The first schema issue worded as each provider words it. */
export function invalidBody(wire: Wire, issue: z.core.$ZodIssue): MockError {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  if (wire === 'anthropic') return { status: 400, message: `${path}: ${missing ? 'Field required' : issue.message}` };
  if (missing && path === 'model') return { status: 400, message: 'you must provide a model parameter' };
  if (missing) return { status: 400, message: `Missing required parameter: '${path}'.`, param: path, code: 'missing_required_parameter' };
  if (issue.code === 'too_small' && issue.origin === 'array') {
    return { status: 400, message: `Invalid '${path}': empty array. Expected an array with minimum length ${issue.minimum}, but got an empty array instead.`, param: path, code: 'empty_array' };
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const bound = issue.code === 'too_small' ? `below minimum value. Expected a value >= ${issue.minimum}` : `above maximum value. Expected a value <= ${issue.maximum}`;
    return { status: 400, message: `Invalid '${path}': integer ${bound}, but got ${String(issue.input)} instead.`, param: path, code: `integer_${issue.code === 'too_small' ? 'below_min' : 'above_max'}_value` };
  }
  return { status: 400, message: `Invalid type for '${path}': ${issue.message}.`, param: path, code: 'invalid_type' };
}
