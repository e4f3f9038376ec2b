import { z } from 'zod';
import { databaseEnv } from './database-config.schema.ts';
import { logLevel, port } from './env-fields.ts';

/** `stipend operator`. */
export const operatorEnvSchema = z.object({
  ...databaseEnv,
  STIPEND_OPERATOR_METRICS_PORT: port(9090),
  LOG_LEVEL: logLevel('info'),
  /** The pod name (Kubernetes sets it): the reporting instance of the Events the operator records. */
  HOSTNAME: z.string().min(1).default('stipend-operator'),
});

export type OperatorEnv = z.infer<typeof operatorEnvSchema>;
