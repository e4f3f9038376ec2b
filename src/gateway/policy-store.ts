import type { DbHandle, Unlisten } from '../db/db-handle.ts';
import { CHANGES_CHANNEL } from '../db/db-handle.ts';
import { compilePolicy, type CompiledPolicy } from '../policy/compile-policy.ts';
import { loadPolicySnapshot } from '../policy/policy-snapshot.repository.ts';

export interface PolicyStats {
  reloads: number;
  lastReloadAt: Date | null;
  lastError: unknown;
  /** The LISTEN connection is up: changes reach this replica as they happen. */
  listening: boolean;
}

export interface PolicyStore {
  current(): CompiledPolicy;
  /** Recompiles now; resolves when the new policy is in place (or the attempt failed). */
  reload(): Promise<void>;
  readonly stats: PolicyStats;
  close(): Promise<void>;
}

/** A failed reload (Postgres away) is tried again after this long, until one succeeds. */
const RETRY_MS = 1000;

/**
 * Holds the compiled policy in memory. Every change announced on the changes
 * channel (revocations included) triggers a recompile, coalesced so a burst of
 * NOTIFYs costs one reload; requests keep using the old policy until the swap.
 * After the LISTEN connection comes back (Postgres restarted) the policy is
 * reloaded, since changes may have been missed; a reload that fails is retried.
 */
export async function startPolicyStore(
  handle: DbHandle,
  onReload: (result: 'ok' | 'failed', error?: unknown) => void,
): Promise<PolicyStore> {
  let policy = compilePolicy(await loadPolicySnapshot(handle.db));
  const stats: PolicyStats = { reloads: 1, lastReloadAt: new Date(), lastError: null, listening: false };
  let inFlight: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const reloadOnce = async () => {
    try {
      policy = compilePolicy(await loadPolicySnapshot(handle.db));
      stats.reloads++;
      stats.lastReloadAt = new Date();
      stats.lastError = null;
      onReload('ok');
    } catch (error) {
      stats.lastError = error;
      onReload('failed', error);
      if (!closed && !retry) {
        retry = setTimeout(() => {
          retry = null;
          void reload();
        }, RETRY_MS);
        retry.unref();
      }
    }
  };
  const reload = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await reloadOnce();
      } while (again);
      inFlight = null;
    })();
    return inFlight;
  };

  const unlisten: Unlisten = await handle.listen(CHANGES_CHANNEL, () => void reload(), {
    onConnectionChange: (connected) => (stats.listening = connected),
  });
  return {
    current: () => policy,
    reload,
    stats,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await unlisten();
      await inFlight;
    },
  };
}
