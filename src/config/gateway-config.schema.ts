import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { bool, logLevel, port } from './env-fields.ts';

/**
 * Gateway configuration from the environment. Provider endpoints and credentials
 * default to each provider's conventional variables, so a local stand-in can
 * replace any provider by setting its base URL. `stipend gateway`.
 */
export const gatewayEnvSchema = z.object({
  ...databaseEnv,
  STIPEND_HOST: z.string().default('0.0.0.0'),
  STIPEND_PORT: port(8787),
  STIPEND_BLOCK_UNPRICED: bool.default(true),
  STIPEND_PRICING_FILE: z.string().optional(),
  STIPEND_MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  STIPEND_UPSTREAM_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  STIPEND_UPSTREAM_BODY_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
  STIPEND_RESERVATION_TTL_MS: z.coerce.number().int().positive().default(15 * 60_000),
  /** How long a settlement may wait to share a transaction with others (never delays a response). */
  STIPEND_SETTLE_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(10),
  STIPEND_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
  STIPEND_SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(25_000),
  /** Prometheus /metrics is served here, never on the public port (it carries spend counters). */
  STIPEND_METRICS_HOST: z.string().default('0.0.0.0'),
  STIPEND_METRICS_PORT: port(9091),
  /** Requests (streams included) one replica serves at once; above it, 503 + Retry-After at once. */
  STIPEND_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(2000),
  /** Seconds a 503 (shed, database away) asks the client to wait; the official SDKs honour it. */
  STIPEND_RETRY_AFTER_SECONDS: z.coerce.number().int().min(0).max(600).default(1),
  /** Connections per provider origin; 0 = no cap (STIPEND_MAX_IN_FLIGHT bounds them). */
  STIPEND_UPSTREAM_CONNECTIONS: z.coerce.number().int().min(0).default(0),
  /** HTTP/2 to providers that offer it over TLS (ALPN); off: HTTP/1.1, as the providers' own SDKs use. */
  STIPEND_UPSTREAM_HTTP2: bool.default(false),
  /** A reservation slower than this (Postgres hung or unreachable) is answered 503. */
  STIPEND_RESERVATION_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** Request bodies nesting objects/arrays deeper than this are refused (400) before anything else. */
  STIPEND_MAX_JSON_DEPTH: z.coerce.number().int().min(1).max(10_000).default(128),
  /** Client side: time to send the request headers, the whole request (not the response), and idle keep-alive. */
  STIPEND_CLIENT_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  STIPEND_CLIENT_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  STIPEND_CLIENT_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(72_000),
  LOG_LEVEL: logLevel('info'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().url().default('https://api.anthropic.com'),
  GEMINI_API_KEY: z.string().optional(),
  GEMINI_BASE_URL: z.string().url().default('https://generativelanguage.googleapis.com/v1beta/openai'),
  /** Upstreams and routes beyond the three keys above: Azure OpenAI, Bedrock, Vertex AI… (docs/providers.md). */
  STIPEND_UPSTREAMS_FILE: z.string().optional(),
  /** Where `file:` credentials of the upstreams file are read (a mounted Secret). */
  STIPEND_UPSTREAM_SECRETS_DIR: z.string().default('/var/run/secrets/stipend/upstreams'),
  /** How often those files are read again, so rotated credentials are used without a restart (SIGHUP: at once). */
  STIPEND_UPSTREAM_SECRETS_REFRESH_MS: z.coerce.number().int().min(1000).default(30_000),
  // Workload identity, as EKS and AKS inject it into the pod: read by upstreams whose `auth`
  // is `webIdentity`, `podIdentity` or `workloadIdentity` and leaves the field out (docs/providers.md).
  AWS_ROLE_ARN: z.string().optional(),
  AWS_WEB_IDENTITY_TOKEN_FILE: z.string().optional(),
  AWS_ROLE_SESSION_NAME: z.string().optional(),
  AWS_CONTAINER_CREDENTIALS_FULL_URI: z.string().optional(),
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: z.string().optional(),
  AZURE_CLIENT_ID: z.string().optional(),
  AZURE_TENANT_ID: z.string().optional(),
  AZURE_FEDERATED_TOKEN_FILE: z.string().optional(),
  AZURE_AUTHORITY_HOST: z.string().optional(),
}).refine((env) => env.STIPEND_CLIENT_HEADERS_TIMEOUT_MS <= env.STIPEND_CLIENT_REQUEST_TIMEOUT_MS, {
  message: 'STIPEND_CLIENT_HEADERS_TIMEOUT_MS must not exceed STIPEND_CLIENT_REQUEST_TIMEOUT_MS',
  path: ['STIPEND_CLIENT_HEADERS_TIMEOUT_MS'],
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
