// A gateway with no provider configured says so loudly and is not ready; metrics live on a
// port of their own, not on the public one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/gateway-harness.ts';

const logLines: string[] = [];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ logLines, env: { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '' } });
});
afterAll(async () => h?.close());

describe('readiness and the metrics port', () => {
  it('no provider configured: an error line at start, /readyz not ready', async () => {
    const line = logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.startsWith('no provider is configured'));
    expect(line?.level).toBe(50); // pino's error
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { postgres: 'ok', providers: 'none configured' } });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('/metrics is served on the metrics port only', async () => {
    expect((await fetch(`${h.url}/metrics`)).status).toBe(404);
    const metrics = await fetch(h.gateway.metricsUrl);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('stipend_spent_nanodollars_total');
    expect(text).toMatch(/stipend_in_flight_requests 0/);
    expect(new URL(h.gateway.metricsUrl).port).not.toBe(new URL(h.url).port);
  });
});
