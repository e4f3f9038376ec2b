// Per-request directives: `mock:KEY=VALUE` tokens in the last user message let tests
// and dev-mode users drive the mock through any client (the gateway forwards bodies,
// not arbitrary headers).

export interface Directives {
  /** Answer with this HTTP error status (400–599) in the provider's error shape. */
  readonly status?: number;
  /** Emit exactly this many content tokens (still capped by the request's max tokens). */
  readonly tokens?: number;
  /** Streaming only: send this many content chunks, then cut the connection. */
  readonly dropAfter?: number;
  /** Report this many cached (cache-read) input tokens on top of the counted input. */
  readonly cached?: number;
  /** Anthropic only: report this many cache-write (5-minute) input tokens. */
  readonly cacheWrite?: number;
  /** Extra delay before the response headers, in ms. */
  readonly latency?: number;
  /** Delay between streamed chunks for this request, in ms. */
  readonly delay?: number;
  /** Report exactly this many (uncached) input tokens, whatever the request held: a provider billing beyond its window. */
  readonly inputTokens?: number;
  /** Web searches the model runs when the request offers a search tool (default 1), capped by the request's limit. */
  readonly searches?: number;
  /** Input tokens each referenced file or document costs (default 1,000). */
  readonly fileTokens?: number;
  /** 1: answer a success without usage (`usage: null` / left out), as some servers do. */
  readonly noUsage?: number;
}

const DIRECTIVE = /mock:(status|tokens|drop-after|cached|cache-write|latency|delay|input-tokens|searches|file-tokens|no-usage)=(\d{1,9})\b/g;

const KEYS: Readonly<Record<string, keyof Directives>> = {
  status: 'status',
  tokens: 'tokens',
  'drop-after': 'dropAfter',
  cached: 'cached',
  'cache-write': 'cacheWrite',
  latency: 'latency',
  delay: 'delay',
  'input-tokens': 'inputTokens',
  searches: 'searches',
  'file-tokens': 'fileTokens',
  'no-usage': 'noUsage',
};

/** Reads the directives of a text; the last occurrence of a key wins. */
export function parseDirectives(text: string): Directives {
  if (!text.includes('mock:')) return {};
  const d: Partial<Record<keyof Directives, number>> = {};
  for (const match of text.matchAll(DIRECTIVE)) d[KEYS[match[1]!]!] = Number(match[2]);
  // Only error statuses make sense (and writeHead rejects nonsense codes).
  if (d.status !== undefined && (d.status < 400 || d.status > 599)) delete d.status;
  return d;
}
