// SIGTERM during open streams: they finish and are charged, new requests are refused,
// and the process exits before its grace period.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApiKey } from '../src/keys/api-keys.repository.ts';
import { startMockProvider, type MockProvider } from '../src/mock-provider/mock-provider.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import { waitForLedgerRow } from './support/ledger-queries.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

let database: TestDatabase;
let mock: MockProvider;
beforeAll(async () => {
  database = await createTestDatabase();
  await syncResources(database.handle.db, await loadResourceFolder('examples'));
  mock = await startMockProvider({ tokenDelayMs: 40 });
});
afterAll(async () => {
  await mock?.close();
  await database?.drop();
});

describe('graceful shutdown', () => {
  it('drains open streams, charges them, refuses new work and exits when they end', async () => {
    const key = (await createApiKey(database.handle.db, 'ada@acme.example')).key;
    const child = spawn(process.execPath, ['src/cli/main.ts', 'gateway'], {
      env: {
        ...process.env,
        STIPEND_DATABASE_URL: database.runtimeUrl,
        STIPEND_HOST: '127.0.0.1',
        STIPEND_PORT: '0', // a free port the OS picks: test files run in parallel
        STIPEND_METRICS_PORT: '0',
        // Far beyond anything the drain should take, so that exiting well before it proves the
        // drain ended with the last stream, however slow the machine.
        STIPEND_SHUTDOWN_GRACE_MS: '600000',
        OPENAI_API_KEY: 'sk-upstream',
        OPENAI_BASE_URL: `${mock.url}/v1`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Never leave the process behind, whatever the test's outcome.
    onTestFinished(() => void (child.exitCode === null && child.kill('SIGKILL')));
    const lines = createInterface({ input: child.stdout! });
    const url = await new Promise<string>((resolve) =>
      lines.on('line', (l) => {
        if (l.includes('gateway listening')) resolve(String((JSON.parse(l) as { url: string }).url));
      }),
    );

    const client = new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 });
    // Three streams of 30 tokens at 40 ms each: about 1.2 s of generation.
    const streams = await Promise.all(
      [1, 2, 3].map(() =>
        client.chat.completions
          .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'long mock:tokens=30' }] })
          .withResponse(),
      ),
    );
    // Each stream is under way (its first token arrived) before the signal: no sleep, a condition.
    let started = 0;
    let reading: Promise<number>[] = [];
    const allStarted = new Promise<void>((resolve) => {
      const one = () => ++started === streams.length && resolve();
      reading = streams.map(async ({ data }) => {
        let tokens = 0;
        for await (const chunk of data) if (chunk.choices[0]?.delta.content && ++tokens === 1) one();
        return tokens;
      });
    });
    await allStarted;
    const draining = new Promise<void>((resolve) => lines.on('line', (l) => l.includes('draining') && resolve()));
    child.kill('SIGTERM');
    await draining;

    // New work is refused while draining.
    const refused = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then(
      (r) => r.status,
      () => 'connection refused',
    );
    expect([503, 'connection refused']).toContain(refused);

    expect(await Promise.all(reading)).toEqual([30, 30, 30]);
    const lastStreamEnded = Date.now();
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    // The drain ends when the last stream does, not at the 10-minute grace (the margin is for a slow machine).
    expect(Date.now() - lastStreamEnded).toBeLessThan(30_000);
    for (const { response } of streams) {
      const row = await waitForLedgerRow(database.handle.db, response.headers.get('x-request-id')!);
      expect(row).toMatchObject({ pricing_status: 'priced', output_tokens: 30, stream: true });
    }
  }, 120_000);
});
