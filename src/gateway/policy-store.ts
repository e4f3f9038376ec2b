import type { DbHandle, Unlisten } from '../db/db-handle.ts';
import { CHANGES_CHANNEL, RECONNECTED } from '../db/db-handle.ts';
import type { CompiledPolicy } from '../policy/compile-policy.ts';
import { startLivePolicy, type LivePolicy, type LivePolicyOptions } from '../policy/live-policy.ts';
import { fullChange, parseChange } from '../policy/policy-change.ts';

export interface PolicyStats {
  /** Policy updates applied (incremental or full), the first load included. */
  reloads: number;
  lastReloadAt: Date | null;
  lastError: unknown;
  /** The LISTEN connection is up: changes reach this replica as they happen. */
  listening: boolean;
}

export interface PolicyStore {
  current(): CompiledPolicy;
  /** Rebuilds now; resolves when the new policy is in place (or the attempt failed: it is then retried). */
  reload(): Promise<void>;
  readonly stats: PolicyStats;
  close(): Promise<void>;
}

/**
 * Holds the compiled policy in memory and keeps it current from the changes channel:
 * each change re-reads and recompiles only what it names (src/policy/live-policy.ts);
 * an unknown payload, or the LISTEN connection coming back after Postgres restarted
 * (changes may have been missed), rebuilds everything in slices. Requests keep using
 * the previous policy until an update is published; a failed update is retried.
 */
export async function startPolicyStore(
  handle: DbHandle,
  onReload: (result: 'ok' | 'failed', error?: unknown) => void,
  options: Pick<LivePolicyOptions, 'onUpdate' | 'sliceMs'> = {},
): Promise<PolicyStore> {
  const stats: PolicyStats = { reloads: 0, lastReloadAt: null, lastError: null, listening: false };
  // Listen before the first load, so that a change committed meanwhile is queued, not lost.
  let live: LivePolicy | null = null;
  const early: string[] = [];
  const onPayload = (payload: string) => {
    if (!live) early.push(payload);
    else live.push(payload === RECONNECTED ? fullChange : (parseChange(payload) ?? fullChange));
  };
  const unlisten: Unlisten = await handle.listen(CHANGES_CHANNEL, onPayload, {
    onConnectionChange: (connected) => (stats.listening = connected),
  });
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
