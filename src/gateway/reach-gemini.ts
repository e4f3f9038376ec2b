import { eachObject, isRecord, NO_REACH, refuse, type ReachResult } from './reach-shared.ts';

// Gemini tools the client runs (the model only asks for the call).
const CLIENT_TOOLS: ReadonlySet<string> = new Set(['functionDeclarations', 'function_declarations', 'computerUse', 'computer_use']);

/**
 * Gemini's generateContent (the Gemini API and Vertex AI): `cachedContent` and parts that
 * reference a file by URI (`fileData`), or carry a PDF (rendered page by page, so its bytes
 * do not bound its tokens), are read at the model's context window. Tools Google runs
 * (Search grounding, code execution, URL context, Maps, file search…) are refused: their
 * fees are not in the catalog and no request field caps their calls.
 */
export function geminiReach(body: Readonly<Record<string, unknown>>): ReachResult {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  for (const [index, tool] of tools.entries()) {
    const kinds = isRecord(tool) ? Object.keys(tool) : [];
    const server = kinds.find((k) => !CLIENT_TOOLS.has(k));
    if (server !== undefined || kinds.length === 0) {
      return refuse(`The tool '${server ?? '(none)'}' is not supported through this gateway: Google runs it, and its cost cannot be bounded before the call.`, `tools.${index}`);
    }
  }
  let outside: string | null = null;
  if (typeof body.cachedContent === 'string' || typeof body.cached_content === 'string') outside = 'cachedContent';
  eachObject(body.contents, (o) => {
    if (outside) return;
    if (isRecord(o.fileData) || isRecord(o.file_data)) outside = 'a fileData part (a file by URI)';
    const inline = isRecord(o.inlineData) ? o.inlineData : isRecord(o.inline_data) ? o.inline_data : null;
    const mime = inline ? (inline.mimeType ?? inline.mime_type) : undefined;
    if (typeof mime === 'string' && mime.toLowerCase() === 'application/pdf') outside = 'an inline PDF';
  });
  return { ok: true, reach: { ...NO_REACH, outside } };
}
