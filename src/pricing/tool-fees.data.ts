// Per-call fees of providers' built-in (server-side) tools, on top of tokens. USD per
// call as published (per 1,000 calls ÷ 1,000), read on the date given with the page.
// A tool whose fee could not be confirmed is not listed, and the gateway refuses it
// (docs/pricing.md, "Input outside the body").

export interface ToolFeeEntry {
  readonly provider: 'openai' | 'anthropic';
  /** The request's tool `type` without its version suffix (`web_search_20250305` → `web_search`). */
  readonly tool: string;
  /** What a reported call is counted as (src/pricing/tool-fees.ts). */
  readonly kind: 'web_search' | 'web_fetch' | 'file_search' | 'code_container';
  /** USD per call (per container for `code_container`). */
  readonly perCall: string;
  /** A dearer fee for models matching this pattern (canonical ids). */
  readonly dearer?: { readonly models: RegExp; readonly perCall: string };
  readonly source: string;
  readonly checkedOn: string;
}

const OPENAI_PRICING = 'https://developers.openai.com/api/docs/pricing';

export const TOOL_FEES: readonly ToolFeeEntry[] = [
  // $10 / 1k calls; search content tokens are billed as input at the model's rates.
  { provider: 'openai', tool: 'web_search', kind: 'web_search', perCall: '0.01', source: OPENAI_PRICING, checkedOn: '2026-11-30' },
  // The preview tool: $10 / 1k on reasoning models, $25 / 1k on non-reasoning ones (GPT-4o, GPT-4.1 and older).
  {
    provider: 'openai', tool: 'web_search_preview', kind: 'web_search', perCall: '0.01',
    dearer: { models: /^gpt-(4|3\.5)/, perCall: '0.025' }, source: OPENAI_PRICING, checkedOn: '2026-11-30',
  },
  // $2.50 / 1k calls (Responses API); vector storage is billed per GB-day, outside requests.
  { provider: 'openai', tool: 'file_search', kind: 'file_search', perCall: '0.0025', source: OPENAI_PRICING, checkedOn: '2026-11-30' },
  // $0.03 per 1 GB container; other memory sizes are not confirmed (refused).
  { provider: 'openai', tool: 'code_interpreter', kind: 'code_container', perCall: '0.03', source: OPENAI_PRICING, checkedOn: '2026-11-30' },
  // $10 / 1,000 searches, reported as usage.server_tool_use.web_search_requests.
  {
    provider: 'anthropic', tool: 'web_search', kind: 'web_search', perCall: '0.01',
    source: 'https://docs.anthropic.com/en/docs/build-with-claude/tool-use/web-search-tool', checkedOn: '2026-11-30',
  },
  // No fee beyond the tokens of the fetched content.
  {
    provider: 'anthropic', tool: 'web_fetch', kind: 'web_fetch', perCall: '0',
    source: 'https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-fetch-tool', checkedOn: '2026-11-30',
  },
];
