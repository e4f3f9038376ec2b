import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { buildAdminApp } from '../admin/admin-app.ts';
import { gatewayEnvSchema, type GatewayEnv } from '../config/gateway-config.schema.ts';
import { parseEnv } from '../config/parse-env.ts';
import { connectPglite } from '../db/connect-pglite.ts';
import type { DbHandle } from '../db/db-handle.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startGateway, type RunningGateway } from '../gateway/start-gateway.ts';
import { scimEnvSchema } from '../config/scim-config.schema.ts';
import { scimConfigFrom } from '../identity/scim/scim-config.schema.ts';
import { startMockProvider, type MockProvider } from '../mock-provider/mock-provider.ts';
import { syncResources } from '../policy/apply-resources.ts';
import { loadResourceFolder } from '../policy/load-resource-folder.ts';
import { defaultCatalog } from '../pricing/catalog.ts';
import { exportConfigFromEnv } from '../reports/exports/export-config.schema.ts';
import { dataDirFiles } from './data-dir.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { ensureDemoKeys } from './demo-keys.ts';
import { runDemoTraffic, type DemoTrafficResult } from './demo-traffic.ts';
import { startDevSso } from './dev-sso.ts';
import { readDevJson, writeDevJson, type DevJson } from './dev-json.ts';

export interface DevOptions {
  readonly dataDir: string;
  readonly policyDir: string;
  readonly port: number;
  readonly host: string;
  /** Admin API, dashboard and portal. */
  readonly adminPort: number;
  /** The embedded OpenID provider (default: any free port). */
  readonly oidcPort?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Fill the demo org with the last 30 days of requests, once per data dir. */
  readonly demoTraffic?: boolean;
  /** At most this many demo requests per person and workday (default 40, more for whoever the plan makes heavy; tests send fewer). */
  readonly demoTrafficPerWorkday?: number;
  /** The demo month ends here, and the dashboard's "this month" is read here (tests pin it). */
  readonly now?: () => Date;
}

export interface RunningDev {
  readonly gateway: RunningGateway;
  readonly admin: { readonly url: string; readonly token: string };
  /** The portal's demo sign-in: every demo person (and the demo admin) uses this password. */
  readonly portal: { readonly url: string; readonly password: string; readonly issuer: string };
  readonly mock: MockProvider | null;
  readonly keys: Readonly<Record<string, string>>;
  readonly keysFile: string;
  readonly devJsonFile: string;
  readonly endpoints: DevJson;
  readonly warnings: readonly string[];
  readonly demoTraffic: DemoTrafficResult | 'already filled' | null;
  close(): Promise<void>;
}

const PROVIDER_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY'] as const;

const mockEnv = (mock: MockProvider) => ({
  OPENAI_API_KEY: 'mock',
  OPENAI_BASE_URL: `${mock.url}/v1`,
  ANTHROPIC_API_KEY: 'mock',
  ANTHROPIC_BASE_URL: mock.url,
  GEMINI_API_KEY: 'mock',
  GEMINI_BASE_URL: `${mock.url}/v1`,
});

/**
 * The embedded default: PGlite, policy from a folder of YAML resources, a mock provider
 * when no credentials exist, the admin API and dashboard; every URL and credential in
 * `<data-dir>/dev.json`.
 */
export async function startDev(options: DevOptions, logger: Logger): Promise<RunningDev> {
  const files = dataDirFiles(options.dataDir);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(files.lock, 'dev');
  const closers: (() => Promise<void>)[] = [async () => release()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const handle = await connectPglite(files.pgdata);
    closers.push(() => handle.close());
    await migrateToLatest(handle.db);
    const report = await syncResources(handle.db, await loadResourceFolder(resolve(options.policyDir)));

    let mock: MockProvider | null = null;
    let env = { ...options.env };
    const configured = parseEnv(gatewayEnvSchema, env);
    if (!PROVIDER_KEYS.some((k) => configured[k])) {
      mock = await startMockProvider({ latencyMs: 20, tokenDelayMs: 15 });
      closers.push(() => mock!.close());
      env = { ...env, ...mockEnv(mock) };
    }
    // Metrics on an ephemeral loopback port unless asked for: two dev gateways on one machine must not collide.
    const gatewayEnv = parseEnv(gatewayEnvSchema, {
      STIPEND_METRICS_PORT: '0',
      STIPEND_METRICS_HOST: options.host,
      ...env,
      STIPEND_PORT: String(options.port),
      STIPEND_HOST: options.host,
    });
    const gateway = await startGateway(handle, gatewayEnv, logger, { credentialEnv: env });
    closers.push(() => gateway.close());

    const people = await handle.db.selectFrom('people').select(['email', 'name']).where('active', '=', true).orderBy('email').execute();
    const keys = await ensureDemoKeys(handle.db, people.map((p) => p.email), files.demoKeys);
    await gateway.policy.reload();

    const previous = await readDevJson(files.devJson);
    const adminToken = previous?.admin?.token && previous.admin.token.length >= 16 ? previous.admin.token : randomBytes(24).toString('base64url');
    // SCIM 2.0 under the admin app, with its own token (kept across restarts, like the admin token).
    const scimToken = previous?.scim?.token && previous.scim.token.length >= 24 ? previous.scim.token : randomBytes(24).toString('base64url');
    const configuredScim = parseEnv(scimEnvSchema, options.env);
    const scim = scimConfigFrom({ ...configuredScim, STIPEND_SCIM_TOKENS: [configuredScim.STIPEND_SCIM_TOKENS, scimToken].filter(Boolean).join(',') });
    // The admin server listens first: its URL is the portal's redirect URI, which the embedded OpenID provider registers.
    const adminServer = createServer();
    await new Promise<void>((ok, fail) => adminServer.once('error', fail).listen(options.adminPort, options.host, () => ok()));
    closers.push(() => new Promise<void>((ok) => adminServer.close(() => ok())));
    const adminUrl = `http://${hostForUrl(options.host)}:${(adminServer.address() as { port: number }).port}`;
    const sso = await startDevSso({
      host: options.host,
      oidcPort: options.oidcPort ?? 0,
      adminUrl,
      gatewayUrl: gateway.url,
      people,
      previous: { password: previous?.portal?.users?.[0]?.password, clientSecret: previous?.oidc?.clientSecret },
    });
    closers.push(() => sso.close());
    const admin = buildAdminApp({ db: handle.db, adminTokens: [adminToken], exportConfig: exportConfigFromEnv(options.env), logger, scim, sso: sso.sso, server: adminServer, ...(options.now ? { now: options.now } : {}) });
    closers.push(async () => {
      adminServer.closeAllConnections();
      await admin.close();
    });
    await admin.ready();

    const demoTraffic = options.demoTraffic
      ? await fillDemoTraffic(handle, gatewayEnv, logger, keys, files.demoTraffic, options.now?.() ?? new Date(), options.demoTrafficPerWorkday)
      : null;

    const [firstKey] = Object.values(keys);
    const endpoints: DevJson = {
      gateway: { url: `${gateway.url}/v1`, ...(firstKey ? { token: firstKey } : {}) },
      dashboard: { url: `${adminUrl}/login?token=${encodeURIComponent(adminToken)}`, token: adminToken },
      admin: { url: adminUrl, token: adminToken },
      scim: { url: `${adminUrl}/scim/v2`, token: scimToken },
      portal: sso.portal,
      oidc: sso.oidc,
    };
    await writeDevJson(files.devJson, endpoints);

    return {
      gateway,
      admin: { url: adminUrl, token: adminToken },
      portal: { url: sso.portal.url, password: sso.password, issuer: sso.oidc.url },
      mock,
      keys,
      keysFile: files.demoKeys,
      devJsonFile: files.devJson,
      endpoints,
      warnings: report.warnings,
      demoTraffic,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

const hostForUrl = (host: string): string => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

/** Once per data dir: a second start with the flag keeps the month it already has. */
async function fillDemoTraffic(
  handle: DbHandle,
  gatewayEnv: GatewayEnv,
  logger: Logger,
  keys: Readonly<Record<string, string>>,
  markerFile: string,
  now: Date,
  perWorkday: number | undefined,
): Promise<DemoTrafficResult | 'already filled'> {
  try {
    await writeFile(markerFile, JSON.stringify({ startedAt: new Date().toISOString() }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'already filled';
    throw error;
  }
  // Its own fast mock, whatever providers the dev gateway forwards to: demo traffic never reaches a real provider.
  const mock = await startMockProvider({ latencyMs: 0, tokenDelayMs: 0 });
  try {
    const env = gatewayEnvSchema.parse({ ...stringify(gatewayEnv), ...mockEnv(mock), STIPEND_PORT: '0', STIPEND_HOST: '127.0.0.1', STIPEND_METRICS_PORT: '0', STIPEND_METRICS_HOST: '127.0.0.1' });
    // Counted and forgotten after each request: the mock would otherwise keep every body of the month.
    const takeProviderCalls = () => {
      const n = mock.calls.length;
      mock.reset();
      return n;
    };
    const result = await runDemoTraffic({ startGateway: (clock) => startGateway(handle, env, logger, { clock }), keys, catalog: defaultCatalog(), now, takeProviderCalls, ...(perWorkday ? { maxPerWorkday: perWorkday } : {}) });
    await writeFile(markerFile, JSON.stringify({ ...result, finishedAt: new Date().toISOString() }, null, 2));
    return result;
  } catch (error) {
    await unlink(markerFile).catch(() => undefined); // the next start tries again
    throw error;
  } finally {
    await mock.close();
  }
}

/** The parsed env back as strings, so it can be parsed again with overrides. */
const stringify = (env: GatewayEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
