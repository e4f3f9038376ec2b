/** Output tokens guessed from the generated text seen so far, for streams cut short. */
export interface OutputEstimate {
  /** One content delta (text, tool-call arguments, thinking…); empty text is not a delta. */
  add(text: string): void;
  tokens(): number;
}

/**
 * Each delta carries at least one token, and a token covers about 4 bytes of UTF-8:
 * max(deltas, ceil(bytes / 4)). Provider-side reasoning that is hidden or summarized
 * (OpenAI o-series, Claude's summarized thinking) is not seen, so this runs low there.
 */
export function createOutputEstimate(): OutputEstimate {
  let deltas = 0;
  let bytes = 0;
  return {
    add(text) {
      if (text === '') return;
      deltas++;
      bytes += Buffer.byteLength(text, 'utf8');
    },
    tokens: () => Math.max(deltas, Math.ceil(bytes / 4)),
  };
}
