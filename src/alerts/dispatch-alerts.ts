import type { DbHandle } from '../db/db-handle.ts';
import { renderAlert } from './alert-message.ts';
import { loadAlerts } from './alerts.repository.ts';
import { dispatchOutbox, type DispatchResult, type OutboxDeps, type RenderedMessage } from './outbox-dispatcher.ts';

/** Channel the threshold trigger notifies when it writes an alert. */
export const ALERTS_CHANNEL = 'stipend_alerts';

/** Delivers every due alert delivery once (the CronJob mode). */
export async function dispatchAlerts(deps: OutboxDeps): Promise<DispatchResult> {
  return dispatchOutbox(deps, 'alert_deliveries', async (refs) => {
    const alerts = await loadAlerts(deps.db, refs.map((r) => BigInt(r)));
    return new Map<string, RenderedMessage>(alerts.map((a) => [String(a.id), renderAlert(a)]));
  });
}

export interface AlertWatcher {
  stop(): Promise<void>;
}

/**
 * Long-running mode: dispatches on every alert notification and on a timer (which also
 * picks up retries that came due). Runs never overlap; a wake-up during a run is not lost.
 */
export async function watchAlerts(handle: DbHandle, deps: OutboxDeps, pollMs: number, onResult?: (r: DispatchResult) => void): Promise<AlertWatcher> {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = dispatchAlerts(deps)
      .then((r) => onResult?.(r))
      .catch((error: unknown) => deps.logger?.error({ err: error }, 'alert dispatch failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const unlisten = await handle.listen(ALERTS_CHANNEL, run);
  const timer = setInterval(run, pollMs);
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten();
      await running;
    },
  };
}
