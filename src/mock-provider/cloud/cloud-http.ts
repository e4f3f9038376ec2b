// JSON answers with a dialect's own headers (raw request bodies: ../mock-http.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJsonWith(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>>): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Parses a JSON object body; undefined when it is not one. */
export function parseObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The first value of a header. */
export const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
