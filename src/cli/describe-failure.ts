import { ConfigError } from '../reports/parse-env.ts';
import { CliError, CommandFailed } from './cli-error.ts';

export interface Failure {
  readonly code: 1 | 2;
  readonly message: string;
  /** Only for errors nobody anticipated (a bug): printed when STIPEND_DEBUG is set. */
  readonly stack?: string;
}

interface SystemError {
  readonly code?: string;
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
  readonly path?: string;
  readonly hostname?: string;
  readonly message: string;
}

const SYSTEM: Readonly<Record<string, (e: SystemError) => string>> = {
  ECONNREFUSED: (e) => `connection refused by ${e.address ?? '?'}:${e.port ?? '?'}`,
  ECONNRESET: () => 'the connection was reset by the other side',
  ETIMEDOUT: (e) => `timed out connecting to ${e.address ?? '?'}${e.port ? `:${e.port}` : ''}`,
  ENOTFOUND: (e) => `cannot resolve host ${e.hostname ?? '?'}`,
  EAI_AGAIN: (e) => `cannot resolve host ${e.hostname ?? '?'} (DNS unavailable)`,
  ENOENT: (e) => `no such file or directory: ${e.path ?? '?'}`,
  EACCES: (e) => (e.syscall === 'listen' ? `not allowed to listen on port ${e.port ?? '?'}` : `permission denied: ${e.path ?? '?'}`),
  EROFS: (e) => `read-only file system: ${e.path ?? '?'}`,
  EISDIR: (e) => `is a directory: ${e.path ?? '?'}`,
  ENOTDIR: (e) => `not a directory: ${e.path ?? '?'}`,
  EADDRINUSE: (e) => `port ${e.port ?? '?'} on ${e.address ?? '?'} is already in use`,
};

/**
 * Turns whatever a command threw into one line and an exit code. Mistakes in the call
 * exit 2; things that went wrong while running (a database away, a file missing) exit 1.
 * No stack trace for either: only a genuinely unexpected error keeps one, for STIPEND_DEBUG.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError || error instanceof ConfigError) return { code: 2, message: firstLine(error.message) };
  // A configuration file the gateway reads (upstreams, prices): named by its class to keep this file's imports down.
  if (error instanceof Error && (error.name === 'UpstreamConfigError' || error.name === 'CatalogFileError')) return { code: 2, message: firstLine(error.message) };
  if (error instanceof CommandFailed) return { code: 1, message: firstLine(error.message) };
  const system = systemErrorOf(error);
  if (system) return { code: 1, message: SYSTEM[system.code!]!(system) };
  const pg = error as { code?: unknown; severity?: unknown; message?: string };
  if (typeof pg.code === 'string' && /^[0-9A-Z]{5}$/.test(pg.code) && typeof pg.severity === 'string') {
    return { code: 1, message: `database error ${pg.code}: ${firstLine(pg.message ?? '')}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 1, message: `${firstLine(message)} (unexpected error; STIPEND_DEBUG=1 prints the stack)`, ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) };
}

function systemErrorOf(error: unknown): SystemError | null {
  // Connecting to "localhost" tries ::1 and 127.0.0.1: node reports both in an AggregateError.
  const candidates = error instanceof AggregateError ? [error, ...error.errors] : [error, (error as { cause?: unknown } | null)?.cause];
  for (const c of candidates) {
    const code = (c as SystemError | null)?.code;
    if (typeof code === 'string' && code in SYSTEM) return c as SystemError;
  }
  return null;
}

const firstLine = (s: string): string => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? s;
