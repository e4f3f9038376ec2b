import type { GatewayProcess } from './gateway-process.ts';

const status = async (gateway: GatewayProcess, key: string) => (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

/** Polls every replica until it answers `expected` to `key`; ms from `start` to the moment each did. */
export async function untilAll(gateways: readonly GatewayProcess[], key: string, expected: number, start: number, deadlineMs = 20_000): Promise<number[]> {
  return Promise.all(
    gateways.map(async (g) => {
      for (;;) {
        if ((await status(g, key)) === expected) return performance.now() - start;
        if (performance.now() > start + deadlineMs) throw new Error(`${g.url} never answered ${expected}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    }),
  );
}
