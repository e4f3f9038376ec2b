import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pino from 'pino';
import { createLogger } from '../../src/cli/logger.ts';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/gateway/start-gateway.ts';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import { gatewayEnvSchema } from '../../src/config/gateway-config.schema.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { startMockProvider, type MockProvider, type MockProviderOptions } from '../../src/mock-provider/mock-provider.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import type { StipendResource } from '../../src/policy/resource.schema.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface Harness {
  readonly database: TestDatabase;
  readonly mock: MockProvider;
  readonly gateway: RunningGateway;
  readonly url: string;
  readonly keys: Readonly<Record<string, string>>;
  openai(email: string): OpenAI;
  anthropic(email: string): Anthropic;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly resources?: readonly StipendResource[];
  readonly env?: Readonly<Record<string, string>>;
  readonly mock?: MockProviderOptions;
  /** Reuse an existing database (e.g. a second gateway on the same Postgres). */
  readonly database?: TestDatabase;
  /** Receives the gateway's JSON log lines. */
  readonly logLines?: string[];
  /** More environment, once the mock provider is up (its URL, its service-account key). */
  readonly envFor?: (mock: MockProvider) => Readonly<Record<string, string>>;
  /** Passed to startGateway (an injected upstream clock). */
  readonly gateway?: GatewayOptions;
}

/** Real Postgres, the example policy (or the given one), the mock provider and a real gateway on loopback. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = options.database ?? (await createTestDatabase());
  const resources = options.resources ?? (await loadResourceFolder(new URL('../../examples', import.meta.url).pathname));
  if (!options.database) await syncResources(database.handle.db, resources);
  const mock = await startMockProvider(options.mock ?? {});
  const env = gatewayEnvSchema.parse({
    STIPEND_HOST: '127.0.0.1',
    STIPEND_PORT: '0',
    STIPEND_METRICS_HOST: '127.0.0.1',
    STIPEND_METRICS_PORT: '0',
    OPENAI_API_KEY: 'sk-upstream-openai-secret',
    OPENAI_BASE_URL: `${mock.url}/v1`,
    ANTHROPIC_API_KEY: 'sk-upstream-anthropic-secret',
    ANTHROPIC_BASE_URL: mock.url,
    GEMINI_API_KEY: 'upstream-gemini-secret',
    GEMINI_BASE_URL: `${mock.url}/v1`,
    LOG_LEVEL: 'silent',
    ...options.env,
    ...options.envFor?.(mock),
  });
  const logger = options.logLines
    ? createLogger('debug', { write: (line: string) => void options.logLines!.push(line) })
    : pino({ level: 'silent' });
  // The gateway connects as the runtime role, like in production: every gateway test
  // also proves that role's grants suffice. Fixtures and assertions use the owner's handle.
  const runtime = connectPostgres({ connectionString: database.runtimeUrl, maxConnections: 20, applicationName: 'stipend-test-gateway' });
  const gateway = await startGateway(runtime, env, logger, options.gateway);
  const keys: Record<string, string> = {};
  if (!options.database) {
    const people = await database.handle.db.selectFrom('people').select('email').where('active', '=', true).execute();
    for (const p of people) keys[p.email] = (await createApiKey(database.handle.db, p.email)).key;
  }
  await gateway.policy.reload();
  const keyOf = (email: string) => {
    const key = keys[email];
    if (!key) throw new Error(`no key for ${email}`);
    return key;
  };
  return {
    database,
    mock,
    gateway,
    url: gateway.url,
    keys,
    openai: (email) => new OpenAI({ apiKey: keyOf(email), baseURL: `${gateway.url}/v1`, maxRetries: 0 }),
    anthropic: (email) => new Anthropic({ apiKey: keyOf(email), baseURL: gateway.url, maxRetries: 0 }),
    async close() {
      await gateway.close();
      await runtime.close();
      await mock.close();
      if (!options.database) await database.drop();
    },
  };
}
