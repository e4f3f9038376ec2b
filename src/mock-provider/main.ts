// Runs the mock provider on its own: `node src/mock-provider/main.ts` (MOCK_PORT, MOCK_HOST).
import { startMockProvider } from './mock-provider.ts';

const mock = await startMockProvider({
  port: Number(process.env.MOCK_PORT ?? 8788),
  host: process.env.MOCK_HOST ?? '127.0.0.1',
  latencyMs: Number(process.env.MOCK_LATENCY_MS ?? 0),
  tokenDelayMs: Number(process.env.MOCK_TOKEN_DELAY_MS ?? 0),
});
process.stdout.write(`mock provider listening on ${mock.url}\n`);
const stop = () => void mock.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
