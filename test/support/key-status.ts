/**
 * Polls the gateway until `key` is answered `expected` on /v1/models. A key made or revoked in
 * Postgres reaches a gateway by NOTIFY, a moment later: a test waits for that, bounded (the
 * deadline is generous for a loaded machine; how fast it is, `npm run bench` measures).
 */
export async function untilKeyAnswers(gatewayUrl: string, key: string, expected: number, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const status = (await fetch(`${gatewayUrl.replace(/\/v1\/?$/, '')}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;
    if (status === expected) return;
    if (Date.now() > deadline) throw new Error(`the gateway still answers ${status}, not ${expected}, for the key`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
