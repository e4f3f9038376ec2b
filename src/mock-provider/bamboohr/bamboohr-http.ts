// How BambooHR answers: JSON or XML bodies, and errors as a status with the reason in the
// X-BambooHR-Error-Message header (the body of an error says nothing useful).
import type { ServerResponse } from 'node:http';

export const ERROR_HEADER = 'x-bamboohr-error-message';

export function sendBody(res: ServerResponse, status: number, contentType: string, body: string, extra: Readonly<Record<string, string>> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

export const sendJson = (res: ServerResponse, body: unknown): void => sendBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(body));

export const sendXml = (res: ServerResponse, body: string): void => sendBody(res, 200, 'text/xml; charset=utf-8', `<?xml version="1.0"?>\n${body}`);

export function sendError(res: ServerResponse, status: number, message: string, extra: Readonly<Record<string, string>> = {}): void {
  sendBody(res, status, 'text/html; charset=utf-8', '', { [ERROR_HEADER]: message, ...extra });
}

export const xmlEscape = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
