// `npm run bench`: the gateway against the floor (a bare undici pass-through) and the
// mock provider on loopback, interleaved in one run so that machine noise hits all alike.
import { createApiKey } from '../src/keys/api-keys.repository.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { swarmPolicy } from '../test/support/resources.ts';
import { benchHotWallet } from './hot-wallet.ts';
import { benchRateLimits, ratedPolicy } from './rate-limits.ts';
import { closedLoop, once, openLoop, percentile, target } from './load.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchUpstreamKinds, kindsGatewayEnv, kindsPolicy, KINDS_PERSON } from './upstream-kinds.ts';
import { startProcess, stopProcess } from './processes.ts';
import { concurrentStreams, type StreamsResult } from './streams.ts';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 2 : 5;
const SAMPLES = quick ? 300 : 2000;
// Concurrent 10-second streams (20 chunks paced 500 ms apart by the mock), floor then gateway.
const STREAM_COUNTS = (process.argv.find((a) => a.startsWith('--streams='))?.slice('--streams='.length) ?? (quick ? '1000' : '1000,5000'))
  .split(',')
  .filter(Boolean)
  .map(Number);

const database = await createTestDatabase();
// 16 people in one team: one hot Shared wallet, personal wallets spread. 16 more, the same,
// with per-minute rate limits (set far above the load) for the cost of counting them.
await syncResources(database.handle.db, [...swarmPolicy(16, '1000000.00', '1000000.00'), ...ratedPolicy(16), ...kindsPolicy()]);
const kindsKey = (await createApiKey(database.handle.db, KINDS_PERSON)).key;
const keys: string[] = [];
const ratedKeys: string[] = [];
for (let i = 0; i < 16; i++) keys.push((await createApiKey(database.handle.db, `user${i}@swarm.example`)).key);
for (let i = 0; i < 16; i++) ratedKeys.push((await createApiKey(database.handle.db, `rated${i}@swarm.example`)).key);

const kindsDir = mkdtempSync(join(tmpdir(), 'stipend-bench-upstreams-'));
const serviceAccountKeyFile = join(kindsDir, 'vertex-sa.json');
const mock = await startProcess(['src/mock-provider/main.ts'], { MOCK_PORT: '0', MOCK_SERVICE_ACCOUNT_KEY_FILE: serviceAccountKeyFile }, /(http:\/\/127\.0\.0\.1:\d+)/);
const mockUrl = mock.match[1]!;
const floor = await startProcess(['bench/serve-floor.ts'], { UPSTREAM_URL: mockUrl }, /(http:\/\/127\.0\.0\.1:\d+)/);
const gatewayPort = String(20000 + Math.floor(Math.random() * 20000));
const gateway = await startProcess(
  ['src/cli/main.ts', 'gateway'],
  {
    // As in production: the runtime role, the ledger written through SECURITY DEFINER functions.
    STIPEND_DATABASE_URL: database.runtimeUrl,
    STIPEND_HOST: '127.0.0.1',
    STIPEND_PORT: gatewayPort,
    STIPEND_METRICS_PORT: '0',
    // Above the largest stream count: this measures capacity, not shedding.
    STIPEND_MAX_IN_FLIGHT: String(Math.max(2000, ...STREAM_COUNTS) + 1000),
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: `${mockUrl}/v1`,
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: mockUrl,
    // Azure OpenAI, Bedrock, Vertex AI and the Gemini API, all on the mock's stand-ins.
    ...kindsGatewayEnv(kindsDir, mockUrl, serviceAccountKeyFile),
    LOG_LEVEL: 'info',
  },
  /gateway listening/,
);

const direct = target('direct', mockUrl, '/v1/chat/completions', ['bench']);
const floorT = target('floor', floor.match[1]!, '/v1/chat/completions', ['bench']);
const gw = target('gateway', `http://127.0.0.1:${gatewayPort}`, '/v1/chat/completions', keys);
const gwRated = target('gateway-rated', `http://127.0.0.1:${gatewayPort}`, '/v1/chat/completions', ratedKeys);
const gwOne = target('gateway-one', `http://127.0.0.1:${gatewayPort}`, '/v1/chat/completions', keys.slice(0, 1));
const gwOneRated = target('gateway-one-rated', `http://127.0.0.1:${gatewayPort}`, '/v1/chat/completions', ratedKeys.slice(0, 1));
const body = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'Benchmark request mock:tokens=16' }] });
const streamBody = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'Stream mock:tokens=16' }] });

// Warm up every path (JIT, connection pools, policy cache).
for (const t of [direct, floorT, gw, gwRated]) await closedLoop(t, body, 8, 1000);

// 1. Added latency at concurrency 1, interleaved.
const lat: Record<string, number[]> = { direct: [], floor: [], gateway: [] };
const ttft: Record<string, number[]> = { direct: [], floor: [], gateway: [] };
for (let i = 0; i < SAMPLES; i++) {
  for (const t of [direct, floorT, gw]) lat[t.name]!.push((await once(t, body)).ms);
}
for (let i = 0; i < SAMPLES / 2; i++) {
  for (const t of [direct, floorT, gw]) ttft[t.name]!.push((await once(t, streamBody)).ttfbMs);
}
const p = (xs: number[], q: number) => percentile(xs, q);
const added = (name: string, q: number) => p(lat[name]!, q) - p(lat.direct!, q);

// 1b. Added latency per upstream kind, each next to the same call straight to its stand-in.
const byKind = await benchUpstreamKinds(mockUrl, `http://127.0.0.1:${gatewayPort}`, kindsKey, readFileSync(serviceAccountKeyFile, 'utf8'), SAMPLES / 4);

// 2. Throughput: closed loop (capacity) and a fixed offered rate.
const capFloor = await closedLoop(floorT, body, 64, SECONDS * 1000);
const capGateway = await closedLoop(gw, body, 64, SECONDS * 1000);
const rate = Math.max(200, Math.round(capGateway.rps * 0.8));
const fixedFloor = await openLoop(floorT, body, rate, SECONDS * 1000);
const fixedGateway = await openLoop(gw, body, rate, SECONDS * 1000);

// 3. Hot wallet vs raw UPDATE … RETURNING.
const hot = await benchHotWallet(database.handle.db, database.url, 16, SECONDS * 1000);

// 4. Cluster-wide rate limits: people with limits next to people without, same gateway.
const rl = await benchRateLimits({ unlimited: gw, rated: gwRated, oneUnlimited: gwOne, oneRated: gwOneRated }, body, SAMPLES / 2, SECONDS * 1000);

// 5. Many concurrent long streams through one process: no connection queueing, memory.
const longStream = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Long stream mock:tokens=20 mock:delay=500' }] });
const streamRuns: { floor: StreamsResult; gateway: StreamsResult }[] = [];
for (const n of STREAM_COUNTS) {
  const floorRun = await concurrentStreams(floor.match[1]!, '/v1/chat/completions', ['bench'], longStream, n, floor.child.pid!);
  const gatewayRun = await concurrentStreams(`http://127.0.0.1:${gatewayPort}`, '/v1/chat/completions', keys, longStream, n, gateway.child.pid!);
  streamRuns.push({ floor: floorRun, gateway: gatewayRun });
}

const f = (n: number) => n.toFixed(2);
const kinds = (x: StreamsResult) => (x.errors ? ` ${JSON.stringify(x.errorKinds)}` : '');
const r = (n: number) => Math.round(n).toLocaleString('en-US');
const report = [
  `Stipend benchmark (${new Date().toISOString()}, ${SAMPLES} samples, ${SECONDS}s loops, loopback mock provider)`,
  '',
  'Added latency at concurrency 1 (ms over calling the mock directly):',
  `  floor   p50 ${f(added('floor', 50))}  p99 ${f(added('floor', 99))}`,
  `  gateway p50 ${f(added('gateway', 50))}  p99 ${f(added('gateway', 99))}   (direct p50 ${f(p(lat.direct!, 50))})`,
  `  gateway over floor: p50 +${f(p(lat.gateway!, 50) - p(lat.floor!, 50))} ms, p99 +${f(p(lat.gateway!, 99) - p(lat.floor!, 99))} ms`,
  'Added latency per upstream kind at concurrency 1 (ms over the same call straight to its stand-in; floor above):',
  ...byKind.kinds.map((k) => `  ${k.kind.padEnd(18)} p50 +${f(k.addedP50)}  p99 +${f(k.addedP99)}   (direct p50 ${f(k.directP50)}, gateway ${f(k.gatewayP50)})`),
  `  one SigV4 signature (@smithy/signature-v4, node:crypto SHA-256): ${byKind.signMicros.toFixed(1)} µs p50`,
  'Streaming time to first byte (ms):',
  `  direct ${f(p(ttft.direct!, 50))}  floor ${f(p(ttft.floor!, 50))}  gateway ${f(p(ttft.gateway!, 50))}  (p50; gateway over floor +${f(p(ttft.gateway!, 50) - p(ttft.floor!, 50))})`,
  'Throughput, one process, concurrency 64:',
  `  floor ${r(capFloor.rps)} req/s, gateway ${r(capGateway.rps)} req/s  → ${(100 * capGateway.rps / capFloor.rps).toFixed(0)} % of floor (errors ${capGateway.errors})`,
  `Fixed offered rate ${r(rate)} req/s:`,
  `  floor achieved ${r(fixedFloor.achieved)} p50 ${f(fixedFloor.p50)} p99 ${f(fixedFloor.p99)} ms; gateway achieved ${r(fixedGateway.achieved)} p50 ${f(fixedGateway.p50)} p99 ${f(fixedGateway.p99)} ms (errors ${fixedGateway.errors})`,
  'Hot Shared wallet, 16 connections:',
  `  one reserve per transaction ${r(hot.reserveOnlyPerSec)}/s (${(100 * hot.reserveOnlyPerSec / hot.rawUpdatePerSec).toFixed(0)} % of raw), reserve+settle ${r(hot.reservePlusSettlePerSec)} pairs/s`,
  `  gateway path (batched, 64 callers) ${r(hot.batchedReservePerSec)}/s → ${(100 * hot.batchedReservePerSec / hot.rawUpdatePerSec).toFixed(0)} % of raw UPDATE…RETURNING ${r(hot.rawUpdatePerSec)}/s`,
  'Cluster-wide rate limits (counted in Postgres with the reservation), people with limits vs without, same gateway:',
  `  concurrency 1: p50 ${f(rl.p50.rated)} vs ${f(rl.p50.unlimited)} ms (+${f(rl.p50.rated - rl.p50.unlimited)}), p99 ${f(rl.p99.rated)} vs ${f(rl.p99.unlimited)} ms (+${f(rl.p99.rated - rl.p99.unlimited)}); floor p50 ${f(p(lat.floor!, 50))} ms`,
  `  concurrency 64, 16 people: ${r(rl.rps.rated)} vs ${r(rl.rps.unlimited)} req/s (${(100 * rl.rps.rated / rl.rps.unlimited).toFixed(0)} %)`,
  `  concurrency 64, one person: ${r(rl.onePersonRps.rated)} vs ${r(rl.onePersonRps.unlimited)} req/s (${(100 * rl.onePersonRps.rated / rl.onePersonRps.unlimited).toFixed(0)} %)  (errors ${rl.errors})`,
  'Concurrent 10 s streams through one process (TTFB ms, peak RSS of that process):',
  ...streamRuns.flatMap(({ floor: fl, gateway: g }) => [
    `  ${String(g.streams).padStart(5)} streams  floor   TTFB p50 ${f(fl.ttfbP50)} p99 ${f(fl.ttfbP99)}  RSS ${r(fl.peakRssMb)} MB  (ok ${fl.ok}, errors ${fl.errors}${kinds(fl)}, stream p50 ${r(fl.durationP50)} ms)`,
    `  ${String(g.streams).padStart(5)} streams  gateway TTFB p50 ${f(g.ttfbP50)} p99 ${f(g.ttfbP99)}  RSS ${r(g.peakRssMb)} MB  (ok ${g.ok}, errors ${g.errors}${kinds(g)}, stream p50 ${r(g.durationP50)} ms)`,
  ]),
];
process.stdout.write(report.join('\n') + '\n');

for (const t of [direct, floorT, gw, gwRated, gwOne, gwOneRated]) await t.pool.close();
await stopProcess(gateway.child);
await stopProcess(floor.child);
await stopProcess(mock.child);
await database.drop();
rmSync(kindsDir, { recursive: true, force: true });
