import { eachObject, isRecord, NO_REACH, refuse, type ReachResult } from './reach-shared.ts';

// Chat Completions tools are all run by the client.
const CLIENT_TOOLS: ReadonlySet<string> = new Set(['function', 'custom']);

/**
 * `/v1/chat/completions` (OpenAI, and Gemini's and others' OpenAI-compatible servers):
 * file parts and Gemini cached content are read at the model's context window; search
 * models' `web_search_options` and tools other than functions are refused.
 */
export function chatReach(body: Readonly<Record<string, unknown>>): ReachResult {
  if (body.web_search_options != null) {
    return refuse("'web_search_options' is not supported through this gateway: search models' per-request search fees are not priced.", 'web_search_options');
  }
  const tools = Array.isArray(body.tools) ? body.tools : [];
  for (const [index, tool] of tools.entries()) {
    const type = isRecord(tool) && typeof tool.type === 'string' ? tool.type : '';
    if (!CLIENT_TOOLS.has(type)) {
      return refuse(`The tool type '${type || '(none)'}' is not supported through this gateway: its cost cannot be bounded before the call.`, `tools.${index}`);
    }
  }
  let outside: string | null = null;
  eachObject(body.messages, (o) => {
    // A file by id, or inline PDF data (rendered page by page): bytes do not bound its tokens.
    if (!outside && o.type === 'file') outside = 'a file content part';
  });
  const extra = isRecord(body.extra_body) ? body.extra_body : null;
  const google = extra && isRecord(extra.google) ? extra.google : null;
  if (!outside && google && google.cached_content != null) outside = 'Gemini cached_content';
  return { ok: true, reach: { ...NO_REACH, outside } };
}
