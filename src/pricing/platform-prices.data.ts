import type { CatalogEntryInput } from './catalog.schema.ts';

// What the shipped catalog knows of the cloud platforms' prices (docs/providers.md, "Prices
// per platform", lists what was read and what could not be confirmed). A model served by a
// platform is priced by, in order: an operator's entry for that platform (STIPEND_PRICING_FILE,
// `platform:`), an explicit entry below, a documented rule below; otherwise it is unpriced
// on that platform and blocked (STIPEND_BLOCK_UNPRICED).
const CHECKED = '2026-11-30';

export type Platform = 'azure-openai' | 'bedrock' | 'vertex-ai';
export type PlatformScope = 'global' | 'regional' | 'data-zone';

/** A platform's documented policy: the provider's own price, times a percentage per endpoint scope. */
export interface PlatformRule {
  readonly platform: Platform;
  readonly provider: 'anthropic' | 'openai' | 'google';
  /** Canonical model ids the policy covers. */
  readonly models: readonly string[];
  /** Percent of the provider's price, per scope; a scope not listed is not priced. */
  readonly percent: Readonly<Partial<Record<PlatformScope, bigint>>>;
  readonly source: string;
  readonly checkedOn: string;
}

// Anthropic documents for both clouds: "Starting with Claude Sonnet 4.5 and all future models"
// global endpoints carry no price premium and regional endpoints (Bedrock's geographic
// cross-region profiles and in-region ids; Vertex's regional locations) a 10 % premium; older
// models keep their pricing. AWS's global cross-region inference page says the same (~10 %
// savings over geographic profiles). Every shipped Claude model is Sonnet 4.5 or later.
const CLAUDE_4_5_AND_LATER = [
  'claude-fable-5-2', 'claude-fable-5-1', 'claude-mythos-5-1', 'claude-fable-5', 'claude-mythos-5', 'claude-opus-5-5', 'claude-sonnet-5-5',
  'claude-haiku-5-5', 'claude-opus-5', 'claude-sonnet-5', 'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-sonnet-4-6',
  'claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5',
] as const;

export const PLATFORM_RULES: readonly PlatformRule[] = [
  {
    platform: 'bedrock',
    provider: 'anthropic',
    models: CLAUDE_4_5_AND_LATER,
    percent: { global: 100n, regional: 110n },
    source: 'https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock',
    checkedOn: CHECKED,
  },
  {
    platform: 'vertex-ai',
    provider: 'anthropic',
    models: CLAUDE_4_5_AND_LATER,
    percent: { global: 100n, regional: 110n },
    source: 'https://platform.claude.com/docs/en/build-with-claude/claude-on-vertex-ai',
    checkedOn: CHECKED,
  },
];

const AZURE_PRICING = 'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/';

// Azure OpenAI, Global Standard deployments. Azure's page renders its prices by script, so no
// stored copy shows them; these are the models for which two consistent transcriptions of it
// agree (redresscompliance.com's Azure OpenAI pricing guide, 2026; a 2026-05-22 snapshot in
// timcsy/ai-api; a Canada East "GPT-4o Global" transcription in an otto fixture). Data Zone and
// Regional deployments cost more by amounts not confirmed: unpriced.
export const PLATFORM_ENTRIES: readonly CatalogEntryInput[] = [
  { provider: 'openai', model: 'gpt-4o', platform: 'azure-openai', scope: 'global', input: '2.50', cachedInput: '1.25', output: '10.00', maxOutputTokens: 16_384, contextWindow: 128_000, source: AZURE_PRICING, checkedOn: CHECKED },
  { provider: 'openai', model: 'gpt-4o-mini', platform: 'azure-openai', scope: 'global', input: '0.15', cachedInput: '0.075', output: '0.60', maxOutputTokens: 16_384, contextWindow: 128_000, source: AZURE_PRICING, checkedOn: CHECKED },
];
