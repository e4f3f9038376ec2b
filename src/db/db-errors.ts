// Which database errors are worth retrying: the connection's, not the statement's.

const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_ctl stop -m fast)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

/**
 * True when the same statement may succeed later: the connection failed or was refused, or
 * Postgres is restarting. False for errors the statement itself caused (a constraint, bad data):
 * retrying those would fail the same way.
 */
export function isTransientDbError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return code.startsWith('08') || TRANSIENT_SQLSTATES.has(code);
  }
  // No SQLSTATE: the error never came from Postgres (ECONNREFUSED, a reset socket, a timeout,
  // "Connection terminated unexpectedly", "Client has encountered a connection error").
  return true;
}

const NEVER_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P03', '53300']);

/**
 * False only when the statement certainly never reached Postgres (no connection could be
 * opened). Anything else — a connection lost mid-statement — may have committed, and only
 * the acknowledgement was lost.
 */
export function mayHaveCommitted(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NEVER_CONNECTED_CODES.has(code) || code.startsWith('28'))) return false;
  // pg-pool's connectionTimeoutMillis, and AggregateError of every address refusing.
  if (typeof message === 'string' && /timeout exceeded when trying to connect/i.test(message)) return false;
  if (error instanceof AggregateError) return !error.errors.every((e) => !mayHaveCommitted(e));
  return true;
}
