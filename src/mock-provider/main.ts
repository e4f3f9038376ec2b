// Runs the mock provider on its own: `node src/mock-provider/main.ts`.
// Env: MOCK_PORT (8788; 0 = ephemeral), MOCK_HOST (127.0.0.1), MOCK_LATENCY_MS,
// MOCK_TOKEN_DELAY_MS, MOCK_OUTPUT_TOKENS; MOCK_SERVICE_ACCOUNT_KEY_FILE: write the Vertex
// stand-in's service-account key file there (for a gateway in another process). Prints the URL.
import { writeFileSync } from 'node:fs';
import { startMockProvider } from './mock-provider.ts';

const num = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

const mock = await startMockProvider({
  port: num(process.env.MOCK_PORT, 8788),
  host: process.env.MOCK_HOST || '127.0.0.1',
  latencyMs: num(process.env.MOCK_LATENCY_MS, 0),
  tokenDelayMs: num(process.env.MOCK_TOKEN_DELAY_MS, 0),
  outputTokens: num(process.env.MOCK_OUTPUT_TOKENS, 12),
});
if (process.env.MOCK_SERVICE_ACCOUNT_KEY_FILE) writeFileSync(process.env.MOCK_SERVICE_ACCOUNT_KEY_FILE, JSON.stringify(mock.serviceAccountKey()), { mode: 0o600 });
process.stdout.write(`mock provider listening on ${mock.url}\n`);
const stop = () => void mock.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
