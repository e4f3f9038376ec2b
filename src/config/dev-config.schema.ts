import { z } from 'zod';
import { logLevel } from './env-fields.ts';

/**
 * `stipend dev`'s own variables. The embedded gateway and admin API read theirs from the same
 * environment (gatewayEnvSchema, exportEnvSchema) with dev's listen addresses and data dir
 * taking precedence; with no provider key the gateway forwards to the built-in mock.
 */
export const devEnvSchema = z.object({
  LOG_LEVEL: logLevel('warn'),
});

export type DevEnv = z.infer<typeof devEnvSchema>;
