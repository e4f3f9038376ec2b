// Ad-hoc: runs the gateway in-process under load and writes a CPU profile (not part of npm run bench).
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import pino from 'pino';
import { startGateway } from '../src/cli/start-gateway.ts';
import { gatewayEnvSchema } from '../src/config/gateway-config.schema.ts';
import { createApiKey } from '../src/keys/api-keys.repository.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { swarmPolicy } from '../test/support/resources.ts';
import { closedLoop, target } from './load.ts';
import { startProcess, stopProcess } from './processes.ts';

const database = await createTestDatabase();
await syncResources(database.handle.db, swarmPolicy(4, '1000000.00', '1000000.00'));
const key = (await createApiKey(database.handle.db, 'user0@swarm.example')).key;
const mock = await startProcess(['src/mock-provider/main.ts'], { MOCK_PORT: '0' }, /(http:\/\/127\.0\.0\.1:\d+)/);
const env = gatewayEnvSchema.parse({ STIPEND_HOST: '127.0.0.1', STIPEND_PORT: '0', STIPEND_METRICS_PORT: '0', OPENAI_API_KEY: 'x', OPENAI_BASE_URL: `${mock.match[1]}/v1` });
const gw = await startGateway(database.handle, env, pino({ level: 'warn' }));
const t = target('gw', gw.url, '/v1/chat/completions', [key]);
const body = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'Benchmark request mock:tokens=16' }] });
await closedLoop(t, body, 32, 1000);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const r = await closedLoop(t, body, 32, 4000);
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/gateway.cpuprofile', JSON.stringify(profile));
console.log('rps', r);
// Summarize self time by function.
const self = new Map<string, number>();
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas ?? [];
profile.samples?.forEach((id, i) => {
  const n = nodes.get(id)!;
  const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((100 * v / total).toFixed(1).padStart(5), k);
await t.pool.close();
await gw.close();
await stopProcess(mock.child);
await database.drop();
