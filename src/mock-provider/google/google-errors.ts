// Google API errors: `{"error":{"code","message","status","details"?}}` (google.rpc.Status
// as JSON), with the canonical status name for each HTTP code.
import type { ServerResponse } from 'node:http';
import { sendJsonWith } from '../cloud/cloud-http.ts';

const STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export const googleStatus = (code: number): string => STATUS[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');

export interface GoogleError {
  readonly code: number;
  readonly message: string;
  readonly details?: readonly unknown[];
}

export const googleErrorBody = (e: GoogleError): unknown => ({
  error: { code: e.code, message: e.message, status: googleStatus(e.code), ...(e.details ? { details: e.details } : {}) },
});

/** An ErrorInfo detail (the machine-readable reason). */
export const errorInfo = (reason: string, service: string, metadata: Readonly<Record<string, string>> = {}): unknown => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata: { service, ...metadata },
});

export const GOOGLE_HEADERS: Readonly<Record<string, string>> = { vary: 'Origin, X-Origin, Referer', server: 'scaffolding on HTTPServer2' };

export function sendGoogleError(res: ServerResponse, e: GoogleError): void {
  sendJsonWith(res, e.code, googleErrorBody(e), { ...GOOGLE_HEADERS, 'content-type': 'application/json; charset=UTF-8' });
}

const DIRECTIVE_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Request contains an invalid argument.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
  504: 'The request timed out. Please try again.',
};

/** The error a `mock:status=N` directive asks for, in Google's shape. */
export const googleDirectiveError = (code: number): GoogleError => ({ code, message: `${DIRECTIVE_MESSAGES[code] ?? `Error ${code}.`} (mock:status=${code})` });
