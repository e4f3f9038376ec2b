// The text a request carries and the text the mock answers with. Token counts are
// derived from UTF-8 bytes so they are deterministic and cheap (no tokenizer):
//   input tokens = max(1, ceil(bytes of all text / 4)) + 3 per message
// where "all text" is every string content and every `text` field of the messages /
// input items, plus the system prompt (Anthropic `system`, Responses `instructions`),
// which also counts as one message. Tool definitions, images and other parameters
// are not counted.

/** All text a value carries: strings, `text` fields and `content` at any depth. */
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

/** Deterministic input token count (see the formula above). */
export function countInputTokens(messages: readonly unknown[], system?: unknown): number {
  const hasSystem = system !== undefined && system !== null && system !== '';
  let bytes = 0;
  for (const text of collectText(messages)) bytes += Buffer.byteLength(text);
  if (hasSystem) for (const text of collectText(system)) bytes += Buffer.byteLength(text);
  return Math.max(1, Math.ceil(bytes / 4)) + 3 * (messages.length + (hasSystem ? 1 : 0));
}

/** Text of the last user message (a bare string counts as one), where directives live. */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (typeof m === 'string') return m;
    if (m !== null && typeof m === 'object' && (m as { role?: unknown }).role === 'user') {
      return collectText((m as { content?: unknown }).content ?? '').join(' ');
    }
  }
  return '';
}

// Three-letter words: with the leading space every token after the first is exactly
// 4 UTF-8 bytes, so re-counting the output with the input formula gives its token count.
const WORDS = ['Our', 'app', 'can', 'cap', 'LLM', 'use', 'per', 'day', 'and', 'log', 'its', 'tab', 'for', 'any', 'one', 'way'];

/** The i-th output token's text: one streamed chunk each. */
export const tokenText = (i: number): string => (i === 0 ? WORDS[0]! : ` ${WORDS[i % WORDS.length]}`);

/** The first `n` output tokens joined. */
export function outputText(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += tokenText(i);
  return text;
}
