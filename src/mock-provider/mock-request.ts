// What the mock reads from a request: its text (to count tokens) and the `mock:KEY=VALUE`
// directives in the last user message that drive errors, lengths, drops and delays.

export interface Directives {
  readonly status?: number;
  readonly tokens?: number;
  readonly dropAfter?: number;
  readonly cached?: number;
  readonly latency?: number;
  readonly delay?: number;
}

const DIRECTIVE = /mock:(status|tokens|drop-after|cached|latency|delay)=(\d+)/g;

/** All text a request carries: strings and text parts, at any depth of messages/input. */
export function collectText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectText(v, out);
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    if (o.content !== undefined) collectText(o.content, out);
  }
  return out;
}

/** Deterministic input count: a token per 4 UTF-8 bytes of text (at least 1) plus 3 per message. */
export function countInputTokens(messages: readonly unknown[], system?: unknown): number {
  const text = collectText(messages).join('') + collectText(system ?? []).join('');
  return Math.max(1, Math.ceil(Buffer.byteLength(text) / 4)) + 3 * messages.length;
}

export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | string;
    if (typeof m === 'string') return m;
    if (m && (m.role === 'user' || m.role === undefined)) return collectText(m.content ?? m).join(' ');
  }
  return '';
}

export function parseDirectives(text: string): Directives {
  const d: Record<string, number> = {};
  for (const match of text.matchAll(DIRECTIVE)) {
    const key = match[1] === 'drop-after' ? 'dropAfter' : match[1]!;
    d[key] = Number(match[2]);
  }
  return d;
}

const WORDS = ['Stipend', 'keeps', 'every', 'team', 'within', 'its', 'budget', 'while', 'models', 'answer', 'quickly', 'and', 'finance', 'sees', 'each', 'cent'];

/** The i-th output token's text. */
export const tokenText = (i: number): string => `${i === 0 ? '' : ' '}${WORDS[i % WORDS.length]}`;

export function outputLength(directives: Directives, cap: number | null | undefined, fallback: number): number {
  const wanted = directives.tokens ?? fallback;
  return typeof cap === 'number' && cap >= 0 ? Math.min(wanted, cap) : wanted;
}

/** Reasoning models report some reasoning tokens inside their output count. */
export const isReasoningModel = (model: string): boolean => /^(o\d|gpt-5)/.test(model);

export const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());
