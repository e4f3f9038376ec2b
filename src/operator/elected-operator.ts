import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { KubeApi } from './kube-api.ts';
import { startLeaderElection } from './leader-election.ts';
import { runOperator, type OperatorOptions, type RunningOperator } from './operator.ts';

export interface ElectedOperatorDeps {
  readonly api: KubeApi;
  readonly db: Db;
  readonly logger: Logger;
  readonly connectionString: string;
}

export interface ElectedOperatorOptions extends OperatorOptions {
  /** On lost leadership. Default: stop reconciling and campaign again. The CLI exits instead. */
  readonly onLost?: () => void;
  readonly retryMs?: number;
  readonly heartbeatMs?: number;
}

export interface ElectedOperator {
  readonly isLeader: () => boolean;
  readonly reconciled: () => number;
  stop(): Promise<void>;
}

/** Reconciles only while this replica holds the leader lock; stops before releasing it. */
export function runElectedOperator(deps: ElectedOperatorDeps, options: ElectedOperatorOptions): ElectedOperator {
  let running: RunningOperator | null = null;
  let stopping: Promise<void> = Promise.resolve();
  let reconciledBefore = 0;
  let closed = false;
  const stopRunning = async () => {
    const r = running;
    running = null;
    if (r) {
      await r.stop();
      reconciledBefore += r.reconciled();
    }
  };
  const leadership = startLeaderElection({
    connectionString: deps.connectionString,
    retryMs: options.retryMs,
    heartbeatMs: options.heartbeatMs,
    onElected: () => {
      // Re-elected: only after the previous term's work has stopped.
      void stopping.then(() => {
        if (closed || !leadership.isLeader() || running) return;
        deps.logger.info({ namespaces: options.namespaces ?? 'all' }, 'elected leader: reconciling');
        running = runOperator(deps.api, deps.db, deps.logger, options);
      });
    },
    onLost: () => {
      deps.logger.error('lost leadership: stopped reconciling');
      if (options.onLost) return options.onLost();
      stopping = stopRunning();
    },
  });
  return {
    isLeader: leadership.isLeader,
    reconciled: () => reconciledBefore + (running?.reconciled() ?? 0),
    async stop() {
      closed = true;
      await stopping;
      await stopRunning();
      await leadership.stop();
    },
  };
}
