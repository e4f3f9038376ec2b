// Context windows of the shipped models: the most input tokens one call can read. They
// bound what a request makes the provider read beyond its body (previous responses,
// files, server-side tools); see docs/pricing.md. Read on CONTEXT_WINDOWS_CHECKED_ON
// from the page named with each number. Where the model's own figure could not be
// read, the largest window published for its family stands in (`family: true`); a
// usage report beyond it is then recorded as an overage, not lost. A model with an
// opt-in larger window (Claude Sonnet 4.5's 1M beta, which the gateway forwards)
// carries the larger one.

export interface ContextWindowFact {
  readonly tokens: number;
  readonly source: string;
  /** Not confirmed for this model itself: the family's largest window. */
  readonly family?: true;
}

export const CONTEXT_WINDOWS_CHECKED_ON = '2026-11-30';

const vercel = (slug: string): string => `https://vercel.com/ai-gateway/models/${slug}`;
const claude = (slug: string): string => `https://platform.claude.com/docs/en/models/${slug}/overview`;
const CLAUDE_MODELS = 'https://platform.claude.com/docs/en/about-claude/models/overview';
const gemini = (id: string): string => `https://ai.google.dev/gemini-api/docs/models/${id}`;

const OPENAI_1_05M = 1_050_000;
const CLAUDE_1M = 1_000_000;
const GEMINI_1M = 1_048_576;

export const CONTEXT_WINDOWS: Readonly<Record<string, ContextWindowFact>> = {
  // OpenAI: GPT-6.x and GPT-5.4 and later carry 1.05M tokens (922K input + 128K output).
  'gpt-6-astra': { tokens: OPENAI_1_05M, source: vercel('gpt-6-astra') },
  'gpt-6.1-sol': { tokens: OPENAI_1_05M, source: 'https://documentation.s3ns.fr/gemini-enterprise-agent-platform/models/partner-models/openai/gpt-6-1-sol' },
  'gpt-6.1-terra': { tokens: OPENAI_1_05M, source: vercel('gpt-6-astra'), family: true },
  'gpt-6-sol': { tokens: OPENAI_1_05M, source: 'https://runware.ai/docs/models/openai-gpt-6-sol' },
  'gpt-6-luna': { tokens: OPENAI_1_05M, source: vercel('openai/gpt-6-luna') },
  'gpt-5.6-terra': { tokens: OPENAI_1_05M, source: vercel('gpt-5.6-terra') },
  'gpt-5.6-luna': { tokens: OPENAI_1_05M, source: vercel('openai/gpt-5.6-luna-fast') },
  'gpt-5.5': { tokens: OPENAI_1_05M, source: 'https://docs.oxen.ai/inference-api/reference/models/gpt-5-5-2026-04-23' },
  'gpt-5.5-pro': { tokens: OPENAI_1_05M, source: 'https://docs.oxen.ai/inference-api/reference/models/gpt-5-5-pro-2026-04-23' },
  'gpt-5.4': { tokens: OPENAI_1_05M, source: 'https://docs.oxen.ai/inference-api/reference/models/gpt-5-5-2026-04-23', family: true },
  'gpt-5.4-mini': { tokens: 400_000, source: vercel('openai/gpt-5.4-mini') },
  'gpt-5.4-nano': { tokens: 400_000, source: vercel('openai/gpt-5.4-nano') },
  'gpt-5.2': { tokens: 400_000, source: vercel('openai/gpt-5.2-fast') },
  'gpt-5.1': { tokens: 400_000, source: 'https://github.com/labring/fastgpt-plugin/pull/297' },
  'gpt-5': { tokens: 400_000, source: vercel('gpt-5-fast') },
  'gpt-5-mini': { tokens: 400_000, source: vercel('gpt-5-mini-fast') },
  'gpt-5-nano': { tokens: 400_000, source: vercel('gpt-5-nano') },
  'gpt-4.1': { tokens: 1_047_576, source: vercel('gpt-4.1-fast') },
  'gpt-4.1-mini': { tokens: 1_047_576, source: vercel('gpt-4.1-mini-fast') },
  'gpt-4.1-nano': { tokens: 1_047_576, source: vercel('gpt-4.1-nano-fast') },
  'o4-mini': { tokens: 200_000, source: vercel('o4-mini') },
  o3: { tokens: 200_000, source: vercel('o3-fast') },
  'o3-mini': { tokens: 200_000, source: vercel('o3-mini') },
  o1: { tokens: 200_000, source: vercel('o3-fast'), family: true },
  'gpt-4o': { tokens: 128_000, source: 'https://platform.openai.com/docs/models/gpt-4o' },
  'gpt-4o-2024-05-13': { tokens: 128_000, source: 'https://platform.openai.com/docs/models/gpt-4o', family: true },
  'gpt-4o-mini': { tokens: 128_000, source: vercel('gpt-4o-mini-fast') },
  'gpt-4-turbo': { tokens: 128_000, source: 'https://openai.com/index/new-models-and-developer-products-announced-at-devday/' },
  'gpt-4': { tokens: 8_192, source: 'https://openai.com/index/gpt-4-research/' },
  'gpt-3.5-turbo': { tokens: 16_385, source: 'https://platform.openai.com/docs/models/gpt-3-5' },

  // Anthropic: each model's overview page.
  'claude-fable-5-2': { tokens: CLAUDE_1M, source: CLAUDE_MODELS },
  'claude-fable-5-1': { tokens: CLAUDE_1M, source: claude('opus-5') },
  // Mythos shares Fable's specifications (stated on the Fable 5 page for Mythos 5).
  'claude-mythos-5-1': { tokens: CLAUDE_1M, source: claude('fable-5'), family: true },
  'claude-fable-5': { tokens: CLAUDE_1M, source: claude('fable-5') },
  'claude-mythos-5': { tokens: CLAUDE_1M, source: claude('fable-5') },
  'claude-opus-5-5': { tokens: CLAUDE_1M, source: CLAUDE_MODELS },
  'claude-sonnet-5-5': { tokens: CLAUDE_1M, source: CLAUDE_MODELS },
  'claude-haiku-5-5': { tokens: CLAUDE_1M, source: CLAUDE_MODELS },
  'claude-opus-5': { tokens: CLAUDE_1M, source: claude('opus-5') },
  'claude-sonnet-5': { tokens: CLAUDE_1M, source: claude('sonnet-5') },
  'claude-opus-4-8': { tokens: CLAUDE_1M, source: claude('opus-4-8') },
  'claude-opus-4-7': { tokens: CLAUDE_1M, source: 'https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-anthropic-claude-opus-4-7.html' },
  'claude-opus-4-6': { tokens: CLAUDE_1M, source: claude('opus-4-6') },
  'claude-sonnet-4-6': { tokens: CLAUDE_1M, source: claude('sonnet-4-6') },
  'claude-opus-4-5': { tokens: 200_000, source: claude('opus-4-5') },
  // 200K by default; 1M with the `context-1m-2025-08-07` beta header, which clients may send.
  'claude-sonnet-4-5': { tokens: CLAUDE_1M, source: claude('sonnet-4-5') },
  'claude-haiku-4-5': { tokens: 200_000, source: 'https://platform.claude.com/docs/en/models' },

  // Google: the model pages' input token limit.
  'gemini-3.5-flash': { tokens: GEMINI_1M, source: gemini('gemini-3.5-flash') },
  'gemini-3.1-pro-preview': { tokens: GEMINI_1M, source: gemini('gemini-3.5-flash'), family: true },
  'gemini-3-flash-preview': { tokens: GEMINI_1M, source: 'https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/gemini/3-flash' },
  'gemini-3.1-flash-lite': { tokens: GEMINI_1M, source: gemini('gemini-3.5-flash'), family: true },
  'gemini-2.5-pro': { tokens: GEMINI_1M, source: gemini('gemini-3.5-flash'), family: true },
  'gemini-2.5-flash': { tokens: GEMINI_1M, source: gemini('gemini-3.5-flash'), family: true },
  'gemini-2.5-flash-lite': { tokens: GEMINI_1M, source: gemini('gemini-3.5-flash'), family: true },
};
