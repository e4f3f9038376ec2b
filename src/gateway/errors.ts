// One registry of every error the gateway returns, with stable codes. Each renders in
// the shape the caller's SDK parses: OpenAI's or Anthropic's.

interface ErrorSpec {
  readonly status: number;
  readonly openaiType: string;
  readonly anthropicType: string;
}

export const ERRORS = {
  invalid_json: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error' },
  invalid_request: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error' },
  missing_api_key: { status: 401, openaiType: 'invalid_request_error', anthropicType: 'authentication_error' },
  invalid_api_key: { status: 401, openaiType: 'invalid_request_error', anthropicType: 'authentication_error' },
  budget_exceeded: { status: 402, openaiType: 'budget_exceeded', anthropicType: 'budget_exceeded' },
  model_not_allowed: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  model_unpriced: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  model_not_found: { status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error' },
  not_found: { status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error' },
  request_too_large: { status: 413, openaiType: 'invalid_request_error', anthropicType: 'request_too_large' },
  rate_limited: { status: 429, openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error' },
  internal_error: { status: 500, openaiType: 'server_error', anthropicType: 'api_error' },
  upstream_error: { status: 502, openaiType: 'upstream_error', anthropicType: 'api_error' },
  provider_not_configured: { status: 503, openaiType: 'server_error', anthropicType: 'api_error' },
  unavailable: { status: 503, openaiType: 'server_error', anthropicType: 'overloaded_error' },
  // Postgres is unreachable: nothing can be reserved, so nothing is forwarded (Retry-After set).
  service_unavailable: { status: 503, openaiType: 'server_error', anthropicType: 'api_error' },
  // This replica is at its in-flight maximum: shed at once rather than queue (Retry-After set).
  overloaded: { status: 503, openaiType: 'server_error', anthropicType: 'overloaded_error' },
  upstream_timeout: { status: 504, openaiType: 'timeout_error', anthropicType: 'api_error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, message: string, param: string | null = null, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.code = code;
    this.status = ERRORS[code].status;
    this.param = param;
    this.headers = headers;
  }
}

export type ErrorShape = 'openai' | 'anthropic' | 'google';

/** google.rpc.Code names by HTTP status, as Google's APIs put them in `error.status`. */
const GOOGLE_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'RESOURCE_EXHAUSTED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function renderError(error: GatewayError, shape: ErrorShape): unknown {
  const spec = ERRORS[error.code];
  if (shape === 'anthropic') {
    return { type: 'error', error: { type: spec.anthropicType, message: error.message } };
  }
  if (shape === 'google') {
    // The stable code rides in an ErrorInfo reason, as Google's own errors carry theirs.
    const details = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code.toUpperCase(), domain: 'stipend.dev' }];
    return { error: { code: error.status, message: error.message, status: GOOGLE_STATUS[error.status] ?? 'UNKNOWN', details } };
  }
  return { error: { message: error.message, type: spec.openaiType, param: error.param, code: error.code } };
}
