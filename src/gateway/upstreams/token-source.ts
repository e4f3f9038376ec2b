// Short-lived access tokens (Entra ID for Azure OpenAI, Google OAuth for Vertex AI) and
// temporary credentials (AWS STS for Bedrock), fetched once and shared by every request until shortly before they expire. Concurrent
// requests wait on one fetch. A failed refresh keeps using a token that has not expired
// yet; a new credential (rotation) discards the token it issued.

export interface FetchedToken<T = string> {
  readonly token: T;
  /** Lifetime from now, as the token endpoint said (`expires_in`). */
  readonly expiresInMs: number;
}

export interface TokenSource<T = string> {
  token(): Promise<T>;
}

export interface TokenSourceOptions {
  readonly now: () => number;
  /** Refresh this long before expiry (default 5 min: both Google's and Microsoft's libraries do). */
  readonly refreshBeforeMs?: number;
  /** Changes when the credential behind the token changes. */
  readonly credentialVersion?: () => number;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

export function cachedToken<T = string>(fetchToken: () => Promise<FetchedToken<T>>, options: TokenSourceOptions): TokenSource<T> {
  const refreshBefore = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  const version = options.credentialVersion ?? (() => 0);
  let cached: { token: T; expiresAt: number; version: number } | undefined;
  let inFlight: Promise<T> | undefined;

  const refresh = (): Promise<T> => {
    inFlight ??= (async () => {
      const v = version();
      const requestedAt = options.now();
      try {
        const fetched = await fetchToken();
        cached = { token: fetched.token, expiresAt: requestedAt + fetched.expiresInMs, version: v };
        return fetched.token;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    async token() {
      const now = options.now();
      if (cached && cached.version !== version()) cached = undefined;
      if (cached && now < cached.expiresAt - refreshBefore) return cached.token;
      const stillValid = cached && now < cached.expiresAt ? cached.token : undefined;
      try {
        return await refresh();
      } catch (error) {
        if (stillValid !== undefined) return stillValid;
        throw error;
      }
    },
  };
}
