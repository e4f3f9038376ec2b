import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe('ledger SQL functions', () => {
  it('reserves and settles', async () => {
    const db = t.handle.db;
    const b = await db.insertInto('budgets').values({ namespace: 'n', name: 'b', target: JSON.stringify({ teams: ['x'] }), scope: 'Shared', amount_nanos: 1000n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard', alert_thresholds: [80, 100] }).returning('id').executeTakeFirstOrThrow();
    const wallets = JSON.stringify([{ budget_id: String(b.id), owner: 'shared', period_start: '2026-11-01T00:00:00Z', period_end: '2026-12-01T00:00:00Z', limit_nanos: '1000', hard: true }]);
    const r = await sql<{ ok: boolean; remaining_nanos: bigint }>`select * from stipend_reserve('r1', ${wallets}::jsonb, 600, now() + interval '1 minute', '{"provider":"openai","model":"m","endpoint":"e"}'::jsonb)`.execute(db);
    expect(r.rows[0]).toMatchObject({ ok: true, remaining_nanos: 400n });
    const r2 = await sql<{ ok: boolean }>`select * from stipend_reserve('r2', ${wallets}::jsonb, 600, now(), '{}'::jsonb)`.execute(db);
    expect(r2.rows[0]?.ok).toBe(false);
    const s = await sql<{ stipend_settle: boolean }>`select stipend_settle('r1', 250, true, '{"pricing_status":"priced","input_tokens":5}'::jsonb)`.execute(db);
    expect(s.rows[0]?.stipend_settle).toBe(true);
    const w = await db.selectFrom('wallets').selectAll().executeTakeFirstOrThrow();
    expect(w.spent_nanos).toBe(250n);
    expect(w.reserved_nanos).toBe(0n);
    const e = await db.selectFrom('usage_events').selectAll().executeTakeFirstOrThrow();
    expect(e.seq).toBe(1n);
    expect(e.hash.length).toBe(32);
  });
});
