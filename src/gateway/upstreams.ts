import type { GatewayEnv } from '../config/gateway-config.schema.ts';

export type ProviderName = 'openai' | 'anthropic' | 'google';

export interface Upstream {
  readonly provider: ProviderName;
  /** Base for OpenAI-format paths (`/chat/completions`, …). */
  readonly openaiBaseUrl: string;
  /** Base for Anthropic-format paths (`/v1/messages`); null when the provider has none. */
  readonly anthropicBaseUrl: string | null;
  /** Auth headers per wire format; never logged, never echoed in errors. */
  readonly openaiAuth: Readonly<Record<string, string>>;
  readonly anthropicAuth: Readonly<Record<string, string>>;
}

const trim = (url: string) => url.replace(/\/+$/, '');

/** Providers with credentials configured; a provider without a key is not called. */
export function upstreamsFromEnv(env: GatewayEnv): ReadonlyMap<ProviderName, Upstream> {
  const map = new Map<ProviderName, Upstream>();
  if (env.OPENAI_API_KEY) {
    map.set('openai', {
      provider: 'openai',
      openaiBaseUrl: trim(env.OPENAI_BASE_URL),
      anthropicBaseUrl: null,
      openaiAuth: { authorization: `Bearer ${env.OPENAI_API_KEY}` },
      anthropicAuth: {},
    });
  }
  if (env.ANTHROPIC_API_KEY) {
    const base = trim(env.ANTHROPIC_BASE_URL);
    map.set('anthropic', {
      provider: 'anthropic',
      // Anthropic also serves the OpenAI wire format under /v1 (its OpenAI SDK compatibility).
      openaiBaseUrl: `${base}/v1`,
      anthropicBaseUrl: base,
      openaiAuth: { authorization: `Bearer ${env.ANTHROPIC_API_KEY}` },
      anthropicAuth: { 'x-api-key': env.ANTHROPIC_API_KEY },
    });
  }
  if (env.GEMINI_API_KEY) {
    map.set('google', {
      provider: 'google',
      openaiBaseUrl: trim(env.GEMINI_BASE_URL),
      anthropicBaseUrl: null,
      openaiAuth: { authorization: `Bearer ${env.GEMINI_API_KEY}` },
      anthropicAuth: {},
    });
  }
  return map;
}
