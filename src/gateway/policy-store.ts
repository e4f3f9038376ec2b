import type { DbHandle, Unlisten } from '../db/db-handle.ts';
import { CHANGES_CHANNEL } from '../db/db-handle.ts';
import type { CompiledPolicy } from '../policy/compile-policy.ts';
import { startLivePolicy, type LivePolicy, type LivePolicyOptions } from '../policy/live-policy.ts';
import { fullChange, parseChange } from '../policy/policy-change.ts';

export interface PolicyStore {
  current(): CompiledPolicy;
  /** Rebuilds now; resolves when the new policy is in place. */
  reload(): Promise<void>;
  readonly stats: { reloads: number; lastReloadAt: Date | null; lastError: unknown };
  close(): Promise<void>;
}

/**
 * Holds the compiled policy in memory and keeps it current from the changes channel:
 * each change re-reads and recompiles only what it names (src/policy/live-policy.ts);
 * anything else (an unknown payload, a LISTEN reconnect) rebuilds in slices. Requests
 * keep using the previous policy until an update is published. `reloads` counts updates.
 */
export async function startPolicyStore(
  handle: DbHandle,
  onReload: (result: 'ok' | 'failed', error?: unknown) => void,
  options: Pick<LivePolicyOptions, 'onUpdate' | 'sliceMs'> = {},
): Promise<PolicyStore> {
  const stats = { reloads: 0, lastReloadAt: null as Date | null, lastError: null as unknown };
  // Listen before the first load, so that a change committed meanwhile is queued, not lost.
  let live: LivePolicy | null = null;
  const early: string[] = [];
  const onPayload = (payload: string) => {
    if (live) live.push(parseChange(payload) ?? fullChange);
    else early.push(payload);
  };
  const unlisten: Unlisten = await handle.listen(CHANGES_CHANNEL, onPayload);
  try {
    live = await startLivePolicy(handle.db, {
      sliceMs: options.sliceMs,
      onUpdate(update) {
        options.onUpdate?.(update);
        stats.reloads++;
        stats.lastReloadAt = new Date();
        stats.lastError = null;
        onReload('ok');
      },
      onError(error) {
        stats.lastError = error;
        onReload('failed', error);
      },
    });
  } catch (error) {
    await unlisten();
    throw error;
  }
  for (const payload of early) onPayload(payload);
  const running = live;
  return {
    current: () => running.current(),
    reload: () => running.rebuild(),
    stats,
    async close() {
      await unlisten();
      await running.close();
    },
  };
}
