// Reservations in one batch are decided in order, each all-or-nothing on its own wallets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveMany, type WalletClaim } from '../src/ledger/reserve.ts';
import type { LedgerContext } from '../src/ledger/ledger-row.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

let t: TestDatabase;
let budgetId: bigint;
beforeAll(async () => {
  t = await createTestDatabase();
  const b = await t.handle.db
    .insertInto('budgets')
    .values({ namespace: 'n', name: 'b', target: '{}', scope: 'Shared', amount_nanos: 1n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard', alert_thresholds: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  budgetId = b.id;
});
afterAll(async () => t?.drop());

const context: LedgerContext = { person_id: '1', email: 'a@x', team: null, cost_center: null, provider: 'openai', model: 'm', endpoint: 'e', stream: false };
const claim = (owner: string, limitNanos: bigint, hard = true): WalletClaim => ({
  budgetId, owner, periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), limitNanos, hard,
});
const request = (id: string, claims: WalletClaim[], estimateNanos: bigint) => ({ requestId: id, claims, estimateNanos, deadline: new Date(Date.now() + 60_000), context });
const wallet = (owner: string) => t.handle.db.selectFrom('wallets').selectAll().where('owner', '=', owner).executeTakeFirstOrThrow();

describe('reserveMany', () => {
  it('decides a batch in order against one wallet, never past its limit', async () => {
    const results = await reserveMany(t.handle.db, [
      request('a1', [claim('shared-a', 2500n)], 1000n),
      request('a2', [claim('shared-a', 2500n)], 1000n),
      request('a3', [claim('shared-a', 2500n)], 1000n),
      request('a4', [claim('shared-a', 2500n)], 500n),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2]!.wallets[0]!.remainingNanos).toBe(500n);
    expect((await wallet('shared-a')).reserved_nanos).toBe(2500n);
    const open = await t.handle.db.selectFrom('reservations').select('request_id').orderBy('request_id').execute();
    expect(open.map((r) => r.request_id)).toEqual(['a1', 'a2', 'a4']);
  });

  it('a request refused by one wallet takes nothing from its others', async () => {
    const [r] = await reserveMany(t.handle.db, [request('b1', [claim('personal-b', 10_000n), claim('shared-b', 100n)], 1000n)]);
    expect(r!.ok).toBe(false);
    expect(r!.wallets).toHaveLength(2);
    expect((await wallet('personal-b')).reserved_nanos).toBe(0n);
    expect((await wallet('shared-b')).reserved_nanos).toBe(0n);
  });

  it('a soft wallet never refuses, and the current policy limit applies', async () => {
    const [soft] = await reserveMany(t.handle.db, [request('c1', [claim('soft-c', 10n, false)], 1000n)]);
    expect(soft!.ok).toBe(true);
    // The limit was raised since the wallet was created: the new one is used and stored.
    await reserveMany(t.handle.db, [request('d0', [claim('raise-d', 100n)], 100n)]);
    const [raised] = await reserveMany(t.handle.db, [request('d1', [claim('raise-d', 5000n)], 1000n)]);
    expect(raised!.ok).toBe(true);
    expect((await wallet('raise-d')).limit_nanos).toBe(5000n);
  });
});
