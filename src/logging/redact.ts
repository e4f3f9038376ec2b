// Keys and tokens that clients put in a query string (`?api_key=`, `?key=` as Google's API
// takes it, `?token=` on the admin API) must never reach a log line.

const SECRET_QUERY_PARAMETER =
  /([?&](?:api[_-]?key|key|x-api-key|token|access[_-]?token|id[_-]?token|refresh[_-]?token|auth|authorization|password|passwd|secret|client[_-]?secret|sig|signature)=)[^&#\s"\\]*/gi;

/** Replaces the value of every secret-looking query parameter in `text` (a URL, or a whole log line). */
export function redactQuerySecrets(text: string): string {
  return text.includes('=') ? text.replace(SECRET_QUERY_PARAMETER, '$1[redacted]') : text;
}
