import type { DbHandle } from '../db/db-handle.ts';
import { renderAlert } from './alert-message.ts';
import { loadAlerts } from './alerts.repository.ts';
import { fanOutToFinance } from './finance-recipients.ts';
import { dispatchOutbox, type DispatchResult, type OutboxDeps, type RenderedMessage } from './outbox-dispatcher.ts';

/** Channel the threshold trigger notifies when it writes an alert. */
export const ALERTS_CHANNEL = 'stipend_alerts';

export interface AlertOptions {
  /** Receive every alert but thresholds below 100 % (STIPEND_FINANCE_ALERT_EMAILS). */
  readonly financeRecipients?: readonly string[];
  /** Evaluates forecasts and anomalies (and opens the period's wallets) before delivering. */
  readonly evaluate?: () => Promise<unknown>;
  /** In --watch mode, evaluate at most this often (it reads the ledger; the dispatch runs on every notify). */
  readonly evaluateEveryMs?: number;
}

/** Delivers every due alert delivery once (the CronJob mode), after adding finance's copies. */
export async function dispatchAlerts(deps: OutboxDeps, options: AlertOptions = {}): Promise<DispatchResult> {
  await fanOutToFinance(deps.db, options.financeRecipients ?? []);
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
export async function watchAlerts(
  handle: DbHandle,
  deps: OutboxDeps,
  pollMs: number,
  onResult?: (r: DispatchResult) => void,
  options: AlertOptions = {},
): Promise<AlertWatcher> {
  let stopped = false;
  let lastEvaluation = -Infinity;
  const evaluateIfDue = async () => {
    if (!options.evaluate || Date.now() - lastEvaluation < (options.evaluateEveryMs ?? 300_000)) return;
    lastEvaluation = Date.now();
    await options.evaluate();
  };
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = evaluateIfDue()
      .catch((error: unknown) => deps.logger?.error({ err: error }, 'alert evaluation failed'))
      .then(() => dispatchAlerts(deps, options))
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
