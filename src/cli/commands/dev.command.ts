import { devEnvSchema } from '../../config/dev-config.schema.ts';
import { parseEnv } from '../../config/parse-env.ts';
import { defaultDataDir } from '../../dev/default-data-dir.ts';
import { DataDirBusy } from '../../dev/data-dir-lock.ts';
import { CliError, CommandFailed } from '../cli-error.ts';
import { defineCommand } from '../command.ts';
import { createLogger } from '../logger.ts';
import { onShutdown } from '../shutdown.ts';

const port = (name: string, value: string): number => {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65535) throw new CliError(`dev: --${name} must be a port number 0-65535 (got '${value}')`);
  return n;
};

export const devCommand = defineCommand({
  name: 'dev',
  summary: 'embedded mode (npm start): PGlite, policy from a folder, mock provider, admin API, dashboard, SCIM, and the portal with demo SSO',
  options: {
    port: { type: 'string', value: 'PORT', default: '8787', description: 'gateway port' },
    'admin-port': { type: 'string', value: 'PORT', default: '8790', description: 'admin API, dashboard and portal port' },
    'oidc-port': { type: 'string', value: 'PORT', default: '8791', description: 'embedded OpenID provider (the demo sign-in) port' },
    host: { type: 'string', value: 'HOST', default: '127.0.0.1', description: 'address to listen on' },
    'data-dir': { type: 'string', value: 'DIR', description: 'embedded database, demo keys and dev.json with URLs and credentials (default: ./.stipend, else $HOME/.stipend, else $TMPDIR/stipend-dev, the first writable)' },
    policy: { type: 'string', value: 'DIR', default: 'examples', description: 'folder of Team, Budget and ModelPolicy YAML, applied at start' },
    'demo-traffic': { type: 'boolean', default: false, description: "fill the demo org with the last 30 days of requests through the mock provider, sized to each person's budget (once per data dir, about a minute)" },
  },
  details: `With no OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY in the environment, requests go
to a built-in mock provider. The data dir's embedded database serves one process at a time:
while this runs, 'stipend report|audit|keys --data-dir DIR' ask you to stop it first.`,
  examples: ['stipend dev', 'stipend dev --demo-traffic', 'stipend dev --port 9000 --admin-port 9001 --data-dir /tmp/stipend --policy ./my-policy'],
  async run(ctx) {
    const env = parseEnv(devEnvSchema, ctx.env);
    const options = {
      dataDir: ctx.values['data-dir'] ?? (await defaultDataDir()),
      policyDir: ctx.values.policy,
      port: port('port', ctx.values.port),
      adminPort: port('admin-port', ctx.values['admin-port']),
      oidcPort: port('oidc-port', ctx.values['oidc-port']),
      host: ctx.values.host,
      env: ctx.env,
      demoTraffic: ctx.values['demo-traffic'],
    };
    const logger = createLogger(env.LOG_LEVEL);
    const out = ctx.stdout;
    if (options.demoTraffic) out.write('Filling the demo org with a month of requests through the mock provider (first start only)…\n');
    // Loaded here, not at the top: --help and other commands need none of it.
    const { startDev } = await import('../../dev/start-dev.ts');
    const dev = await startDev(options, logger).catch((error: unknown) => {
      if (error instanceof DataDirBusy) {
        throw new CommandFailed(`${options.dataDir} is in use by ${error.owner.command === 'dev' ? "another 'stipend dev'" : `'stipend ${error.owner.command}'`} (pid ${error.owner.pid}); stop it or pass another --data-dir`);
      }
      throw error;
    });
    const e = dev.endpoints;
    // .ci/image.sh reads the first line and the line after "Demo keys": keep their shape.
    out.write(`\nStipend dev gateway: ${e.gateway!.url}\n`);
    out.write(`  dashboard  ${e.dashboard!.url}\n`);
    out.write(`  admin API  ${e.admin!.url}/api  (Authorization: Bearer ${e.admin!.token})\n`);
    out.write(`  portal     ${dev.portal.url}  (sign in as ada@acme.example, password ${dev.portal.password}; it-admin@acme.example is a dashboard admin)\n`);
    out.write(`  sign-in    ${dev.portal.issuer}  (embedded OpenID provider, every demo person with the same password)\n`);
    if (e.scim) out.write(`  SCIM 2.0   ${e.scim.url}  (Authorization: Bearer ${e.scim.token})\n`);
    out.write(`  metrics    ${dev.gateway.metricsUrl}\n`);
    out.write(`  all URLs and credentials: ${dev.devJsonFile}\n\n`);
    out.write(dev.mock ? `No provider credentials found: using the built-in mock provider (${dev.mock.url}).\n` : 'Forwarding to the providers whose credentials are set.\n');
    if (dev.demoTraffic === 'already filled') out.write('Demo traffic: this data dir already has its month (delete it for a fresh one).\n');
    else if (dev.demoTraffic) {
      const ok = dev.demoTraffic.statuses['200'] ?? 0;
      out.write(`Demo traffic: ${dev.demoTraffic.requests} requests from ${dev.demoTraffic.from.toISOString().slice(0, 10)} to ${dev.demoTraffic.to.toISOString().slice(0, 10)} (${ok} charged, ${dev.demoTraffic.requests - ok} refused by budgets or policy).\n`);
    }
    for (const warning of dev.warnings) out.write(`warning: ${warning}\n`);
    out.write(`\nDemo keys (also in ${dev.keysFile}):\n`);
    for (const [email, key] of Object.entries(dev.keys)) out.write(`  ${email.padEnd(28)} ${key}\n`);
    const [firstKey] = Object.values(dev.keys);
    out.write(`\nTry:\n  curl -s ${e.gateway!.url}/chat/completions -H "Authorization: Bearer ${firstKey ?? '<key>'}" \\\n`);
    out.write(`    -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'\n\n`);
    onShutdown(() => dev.close());
  },
});
