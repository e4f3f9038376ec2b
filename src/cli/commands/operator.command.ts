import { CliError } from '../cli-error.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';
import { onShutdown } from './gateway.command.ts';

/** `stipend operator`: reconciles Team/Budget/ModelPolicy into Postgres while leader. */
export const operatorCommand = defineCommand({
  name: 'operator',
  summary: 'reconcile Team, Budget and ModelPolicy resources into Postgres (leader-elected)',
  options: {
    namespaces: { type: 'string', value: 'A,B', description: 'watch only these namespaces (default: all)' },
    kubeconfig: { type: 'string', value: 'FILE', description: 'kubeconfig to use (default: in-cluster service account)' },
  },
  details: `environment:
  STIPEND_DATABASE_URL            postgres://user:pass@host:5432/db
  STIPEND_OPERATOR_METRICS_PORT   Prometheus metrics and /healthz (default 9090)
  LOG_LEVEL                       default info`,
  examples: ['stipend operator', 'stipend operator --namespaces acme,platform --kubeconfig ~/.kube/config'],
  async run(ctx) {
    const metricsPort = Number(ctx.env.STIPEND_OPERATOR_METRICS_PORT ?? 9090);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new CliError('STIPEND_OPERATOR_METRICS_PORT must be a port number');
    const logger = createLogger(ctx.env.LOG_LEVEL ?? 'info');
    const [{ runElectedOperator }, { createKubeApi }, { createOperatorMetrics, serveOperatorMetrics }, { databaseFromEnv }] = await Promise.all([
      import('../../operator/elected-operator.ts'),
      import('../../operator/kube-api.ts'),
      import('../../operator/operator-metrics.ts'),
      import('../database-from-env.ts'),
    ]);
    const handle = databaseFromEnv('stipend-operator', ctx.env);
    const api = createKubeApi(ctx.values.kubeconfig);
    const namespaces = ctx.values.namespaces ? ctx.values.namespaces.split(',').map((n) => n.trim()).filter(Boolean) : null;
    const metrics = createOperatorMetrics();
    const metricsServer = await serveOperatorMetrics(metrics.registry, metricsPort);
    const operator = runElectedOperator(
      { api, db: handle.db, logger, connectionString: ctx.env.STIPEND_DATABASE_URL! },
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
  },
});
