import { parseArgs } from 'node:util';
import { CliError } from '../cli/cli-error.ts';
import { onShutdown } from '../cli/commands/gateway.command.ts';
import { databaseFromEnv } from '../cli/database-from-env.ts';
import { createLogger } from '../cli/logger.ts';
import { runElectedOperator } from './elected-operator.ts';
import { createKubeApi } from './kube-api.ts';
import { createOperatorMetrics, serveOperatorMetrics } from './operator-metrics.ts';

const USAGE = 'usage: stipend operator [--namespaces a,b] [--kubeconfig PATH]  (in-cluster config without --kubeconfig; STIPEND_DATABASE_URL from env)';

/** `stipend operator`: reconciles Team/Budget/ModelPolicy into Postgres while leader. */
export async function operatorCommand(args: string[]): Promise<void> {
  let values: { namespaces?: string; kubeconfig?: string };
  try {
    values = parseArgs({ args, options: { namespaces: { type: 'string' }, kubeconfig: { type: 'string' } } }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const handle = databaseFromEnv('stipend-operator');
  const api = createKubeApi(values.kubeconfig);
  const namespaces = values.namespaces ? values.namespaces.split(',').map((n) => n.trim()).filter(Boolean) : null;
  const metrics = createOperatorMetrics();
  const metricsServer = await serveOperatorMetrics(metrics.registry, Number(process.env.STIPEND_OPERATOR_METRICS_PORT ?? 9090));
  const operator = runElectedOperator(
    { api, db: handle.db, logger, connectionString: process.env.STIPEND_DATABASE_URL! },
    {
      namespaces,
      onReconcile: metrics.onReconcile,
      // Fencing: the process ends with its in-flight work; the Deployment restarts it as a follower.
      onLost: () => process.exit(1),
    },
  );
  logger.info({ namespaces: namespaces ?? 'all' }, 'operator started; campaigning for leadership');
  onShutdown(async () => {
    await operator.stop();
    metricsServer.close();
    await handle.close();
  });
}
