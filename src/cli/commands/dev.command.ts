import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../dev/default-data-dir.ts';
import { startDev } from '../../dev/start-dev.ts';
import { createLogger } from '../logger.ts';
import { onShutdown } from './gateway.command.ts';

export async function devCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' }, // default: defaultDataDir()
      policy: { type: 'string', default: 'examples' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const dev = await startDev(
    { dataDir: values['data-dir'] ?? (await defaultDataDir()), policyDir: values.policy, port: Number(values.port), host: values.host, env: process.env },
    logger,
  );
  const out = process.stdout;
  out.write(`\nStipend dev gateway: ${dev.gateway.url}/v1\n`);
  out.write(dev.mock ? `No provider credentials found: using the built-in mock provider (${dev.mock.url}).\n` : 'Forwarding to the providers whose credentials are set.\n');
  for (const warning of dev.warnings) out.write(`warning: ${warning}\n`);
  out.write(`\nDemo keys (also in ${dev.keysFile}):\n`);
  for (const [email, key] of Object.entries(dev.keys)) out.write(`  ${email.padEnd(28)} ${key}\n`);
  const [firstKey] = Object.values(dev.keys);
  out.write(`\nTry:\n  curl -s ${dev.gateway.url}/v1/chat/completions -H "Authorization: Bearer ${firstKey ?? '<key>'}" \\\n`);
  out.write(`    -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'\n\n`);
  onShutdown(() => dev.close());
}
