// While Postgres hangs, reservations queue in the batcher; one whose caller gave up before it
// was sent is dropped, so a recovering database is not handed reservations nobody waits for.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/connect-postgres.ts';
import { createReservationBatcher } from '../src/ledger/reservation-batcher.ts';
import type { LedgerContext, WalletClaim } from '../src/ledger/reserve.ts';
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
const claim: WalletClaim = { budgetId: 0n, owner: 'hot', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), limitNanos: 1_000_000n, hard: true };
const request = (id: string) => ({ requestId: id, claims: [{ ...claim, budgetId }], estimateNanos: 10n, deadline: new Date(Date.now() + 60_000), context });

describe('reservation batcher', () => {
  it('drops a queued reservation whose caller gave up, sends the others', async () => {
    const reserve = createReservationBatcher(t.handle.db);
    await reserve(request('warm')); // creates the wallet
    // Another session holds the wallet's row lock: every batch now hangs in Postgres.
    const locker = connectPostgres({ connectionString: t.url, maxConnections: 1 });
    const release = await new Promise<() => void>((resolveRelease) => {
      void locker.db.transaction().execute(async (tx) => {
        await sql`select * from wallets where owner = 'hot' for update`.execute(tx);
        await new Promise<void>((done) => resolveRelease(done));
      });
    });
    const first = reserve(request('in-flight-1'));
    const second = reserve(request('in-flight-2'));
    const gaveUp = new AbortController();
    const dropped = reserve(request('dropped'), gaveUp.signal).then(
      () => 'sent',
      (e: Error) => e.message,
    );
    const kept = reserve(request('kept'));
    gaveUp.abort(new Error('caller answered 503'));
    release();
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    expect(await dropped).toBe('caller answered 503');
    expect((await kept).ok).toBe(true);
    const open = await t.handle.db.selectFrom('reservations').select('request_id').orderBy('request_id').execute();
    expect(open.map((r) => r.request_id)).toEqual(['in-flight-1', 'in-flight-2', 'kept', 'warm']);
    await locker.close();
  });
});
