import { parseArgs } from 'node:util';
import { createLogger } from '../cli/logger.ts';
import { databaseFromEnv } from '../cli/database-from-env.ts';
import { onShutdown } from '../cli/commands/gateway.command.ts';
import { createKubeApi } from './kube-api.ts';
import { startLeaderElection } from './leader-election.ts';
import { runOperator, type RunningOperator } from './operator.ts';

export async function operatorCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { namespaces: { type: 'string' }, kubeconfig: { type: 'string' } } });
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const handle = databaseFromEnv('stipend-operator');
  const api = createKubeApi(values.kubeconfig);
  const namespaces = values.namespaces ? values.namespaces.split(',').map((n) => n.trim()).filter(Boolean) : null;
  let running: RunningOperator | null = null;
  const leadership = startLeaderElection(
    process.env.STIPEND_DATABASE_URL!,
    () => {
      logger.info({ namespaces: namespaces ?? 'all' }, 'elected leader: reconciling');
      running = runOperator(api, handle.db, logger, { namespaces });
    },
    () => {
      // Another replica may be leader now: stop at once and let the process restart.
      logger.error('lost leadership');
      process.exit(1);
    },
  );
  logger.info('operator started; waiting for leadership');
  onShutdown(async () => {
    await running?.stop();
    await leadership.stop();
    await handle.close();
  });
}
