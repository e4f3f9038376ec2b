// Every variable a `stipend` command reads, by command: the schemas below are the only way
// configuration enters the program (src/cli hands each command its environment).
// docs/configuration.md is the table of all of them; test/configuration-docs.test.ts keeps
// the two in step.
import type { z } from 'zod';
import { adminEnvSchema } from './admin-config.schema.ts';
import { alertsEnvSchema } from './alerts-config.schema.ts';
import { auditEnvSchema } from './audit-config.schema.ts';
import { cliEnvSchema } from './cli-config.schema.ts';
import { databaseEnvSchema } from './database-config.schema.ts';
import { devEnvSchema } from './dev-config.schema.ts';
import { gatewayEnvSchema } from './gateway-config.schema.ts';
import { hrisEnvSchema } from './hris-config.schema.ts';
import { migrateEnvSchema } from './migrate-config.schema.ts';
import { operatorEnvSchema } from './operator-config.schema.ts';
import { reportEnvSchema } from './reports-config.schema.ts';

type EnvSchema = z.ZodObject<z.ZodRawShape>;

export const ROLE_CONFIG: Readonly<Record<string, EnvSchema>> = {
  gateway: gatewayEnvSchema,
  operator: operatorEnvSchema,
  admin: adminEnvSchema,
  alerts: alertsEnvSchema,
  report: reportEnvSchema,
  // dev also hands its environment to the gateway and admin API it runs (gateway, export variables).
  dev: devEnvSchema,
  migrate: migrateEnvSchema,
  audit: auditEnvSchema,
  keys: databaseEnvSchema,
  hris: hrisEnvSchema,
  // every command
  '*': cliEnvSchema,
};

