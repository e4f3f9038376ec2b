import type { DbHandle, Unlisten } from '../db/db-handle.ts';
import { CHANGES_CHANNEL } from '../db/db-handle.ts';
import { compilePolicy, type CompiledPolicy } from '../policy/compile-policy.ts';
import { loadPolicySnapshot } from '../policy/policy-snapshot.repository.ts';

export interface PolicyStore {
  current(): CompiledPolicy;
  /** Recompiles now; resolves when the new policy is in place. */
  reload(): Promise<void>;
  readonly stats: { reloads: number; lastReloadAt: Date | null; lastError: unknown };
  close(): Promise<void>;
}

/**
 * Holds the compiled policy in memory. Every change announced on the changes
 * channel (revocations included) triggers a recompile, coalesced so a burst of
 * NOTIFYs costs one reload; requests keep using the old policy until the swap.
 */
export async function startPolicyStore(
  handle: DbHandle,
  onReload: (result: 'ok' | 'failed', error?: unknown) => void,
): Promise<PolicyStore> {
  let policy = compilePolicy(await loadPolicySnapshot(handle.db));
  const stats = { reloads: 1, lastReloadAt: new Date() as Date | null, lastError: null as unknown };
  let inFlight: Promise<void> | null = null;
  let again = false;

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

  const unlisten: Unlisten = await handle.listen(CHANGES_CHANNEL, () => void reload());
  return {
    current: () => policy,
    reload,
    stats,
    async close() {
      await unlisten();
      await inFlight;
    },
  };
}
