import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/**
 * Gateway configuration from the environment. Provider endpoints and credentials
 * default to each provider's conventional variables, so a local stand-in can
 * replace any provider by setting its base URL.
 */
export const gatewayEnvSchema = z.object({
  STIPEND_HOST: z.string().default('0.0.0.0'),
  STIPEND_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  STIPEND_DATABASE_URL: z.string().optional(),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().url().default('https://api.anthropic.com'),
  GEMINI_API_KEY: z.string().optional(),
  GEMINI_BASE_URL: z.string().url().default('https://generativelanguage.googleapis.com/v1beta/openai'),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
