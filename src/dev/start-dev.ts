import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { gatewayEnvSchema } from '../config/gateway-config.schema.ts';
import { connectPglite } from '../db/connect-pglite.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startGateway, type RunningGateway } from '../cli/start-gateway.ts';
import { startMockProvider, type MockProvider } from '../mock-provider/mock-provider.ts';
import { syncResources } from '../policy/apply-resources.ts';
import { loadResourceFolder } from '../policy/load-resource-folder.ts';
import { ensureDemoKeys } from './demo-keys.ts';

export interface DevOptions {
  readonly dataDir: string;
  readonly policyDir: string;
  readonly port: number;
  readonly host: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface RunningDev {
  readonly gateway: RunningGateway;
  readonly mock: MockProvider | null;
  readonly keys: Readonly<Record<string, string>>;
  readonly keysFile: string;
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

const PROVIDER_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY'] as const;

/** The embedded default: PGlite, policy from a folder of YAML resources, and a mock provider when no credentials exist. */
export async function startDev(options: DevOptions, logger: Logger): Promise<RunningDev> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const handle = await connectPglite(join(dataDir, 'pgdata'));
  await migrateToLatest(handle.db);
  const report = await syncResources(handle.db, await loadResourceFolder(resolve(options.policyDir)));

  let mock: MockProvider | null = null;
  let env = { ...options.env };
  if (!PROVIDER_KEYS.some((k) => env[k])) {
    mock = await startMockProvider({ latencyMs: 20, tokenDelayMs: 15 });
    env = {
      ...env,
      OPENAI_API_KEY: 'mock',
      OPENAI_BASE_URL: `${mock.url}/v1`,
      ANTHROPIC_API_KEY: 'mock',
      ANTHROPIC_BASE_URL: mock.url,
      GEMINI_API_KEY: 'mock',
      GEMINI_BASE_URL: `${mock.url}/v1`,
    };
  }
  // Metrics on an ephemeral loopback port unless asked for: two dev gateways on one machine must not collide.
  const gatewayEnv = gatewayEnvSchema.parse({
    STIPEND_METRICS_PORT: '0',
    STIPEND_METRICS_HOST: options.host,
    ...env,
    STIPEND_PORT: String(options.port),
    STIPEND_HOST: options.host,
  });
  const gateway = await startGateway(handle, gatewayEnv, logger);

  const people = await handle.db.selectFrom('people').select('email').where('active', '=', true).orderBy('email').execute();
  const keysFile = join(dataDir, 'demo-keys.json');
  const keys = await ensureDemoKeys(handle.db, people.map((p) => p.email), keysFile);
  await gateway.policy.reload();

  return {
    gateway,
    mock,
    keys,
    keysFile,
    warnings: report.warnings,
    async close() {
      await gateway.close();
      await mock?.close();
      await handle.close();
    },
  };
}
