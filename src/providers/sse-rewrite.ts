const LINE_BREAK_KEPT = /(\r\n|\r|\n)/;

/**
 * The event's text with its data replaced by one `data:` line holding `data` (which
 * must not contain line breaks, as JSON.stringify output does not); every other line
 * and every line break is kept as it was.
 */
export function withSseData(raw: string, data: string): string {
  const parts = raw.split(LINE_BREAK_KEPT); // line, break, line, break, …, line
  let out = '';
  let written = false;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] ?? '';
    const lineBreak = parts[i + 1] ?? '';
    if (line === 'data' || line.startsWith('data:')) {
      if (written) continue;
      written = true;
      out += `data: ${data}${lineBreak}`;
    } else {
      out += line + lineBreak;
    }
  }
  return out;
}
