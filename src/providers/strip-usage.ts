import type { JsonObject } from './json-object.ts';
import { withSseData } from './sse-rewrite.ts';

const NULL_USAGE = '"usage":null';
const USAGE_KEY = '"usage"';

/**
 * A chat chunk's event text without its top-level `"usage":null`, for a client that
 * did not ask for stream usage (the gateway did). OpenAI writes compact JSON, so the
 * field is cut out of the text and every other byte stays as OpenAI sent it. That is
 * only done when `"usage"` occurs once in the text (so it is the top-level key, and
 * not a nested key or a string value) and sits between a `,` or `{` and a `,` or `}`
 * (so its quote opens a key); otherwise the chunk is re-serialized without the field.
 */
export function withoutNullUsage(raw: string, chunk: JsonObject): string {
  const at = raw.indexOf(NULL_USAGE);
  if (at > 0 && raw.indexOf(USAGE_KEY) === at && raw.indexOf(USAGE_KEY, at + 1) === -1) {
    const end = at + NULL_USAGE.length;
    const before = raw[at - 1];
    const after = raw[end];
    if (before === ',' && (after === ',' || after === '}')) return raw.slice(0, at - 1) + raw.slice(end);
    if (before === '{' && after === ',') return raw.slice(0, at) + raw.slice(end + 1);
  }
  const { usage: _dropped, ...rest } = chunk;
  return withSseData(raw, JSON.stringify(rest));
}
