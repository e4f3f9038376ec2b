// Money a request released is visible to the next request at once, not after the settlement
// batch: sequential requests on a tight wallet are never refused while the true spend leaves room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResources } from '../src/policy/load-resource-folder.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForNoReservations, walletsOf } from './support/ledger-queries.ts';

const LIMIT_NANOS = 1_000_000n; // $0.001 a day

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    // A long settlement batch: without the fix, the third request would always find the first
    // two worst cases still reserved.
    env: { STIPEND_SETTLE_BATCH_MS: '1000' },
    resources: parseResources(
      `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: tight, namespace: t }
spec:
  members: [{ email: tess@tight.example }]
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: tight-daily, namespace: t }
spec:
  target: { teams: [tight] }
  scope: PerMember
  amount: "0.001"
  period: Daily
  enforcement: Hard
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: tight-models, namespace: t }
spec:
  target: { teams: [tight] }
  allow: ["openai/gpt-4o-mini"]
`,
      'tight.yaml',
    ),
  });
});
afterAll(async () => h?.close());

describe('a tight hard wallet', () => {
  it('sequential requests whose true spend leaves room are never refused', async () => {
    const client = h.openai('tess@tight.example');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: `question ${i} mock:tokens=4` }] })
        .withResponse()
        .catch((e: { status?: number }) => ({ response: { status: e.status ?? 0 } }));
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(12).fill(200));
    await waitForNoReservations(h.database.handle.db);
    const [wallet] = await walletsOf(h.database.handle.db, 't/tight-daily');
    // The worst case of one request is about a third of the limit; twelve were served because
    // what they really cost is a small fraction of it.
    expect(wallet!.spent_nanos).toBeLessThan(LIMIT_NANOS / 2n);
    expect(wallet!.spent_nanos).toBeGreaterThan(0n);
    expect(h.mock.calls).toHaveLength(12);
  });
});
