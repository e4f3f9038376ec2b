// The overage column joins the hash chain without breaking it: rows written before the
// migration verify as they did, and an overage row is part of what the chain protects.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import { verifyLedger } from '../src/ledger/audit.ts';
import { reserveMany } from '../src/ledger/reserve.ts';
import { settleMany, type Settlement } from '../src/ledger/settle.ts';
import { periodWindow } from '../src/ledger/period.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

let t: TestDatabase;
let handle: TestDatabase['handle'];
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase({ at: '0007-finance-reports', grants: false });
  handle = t.handle;
  await sql`
    with p as (insert into people (email) values ('ann@o.example') returning id),
         t as (insert into teams (namespace, name, owners) values ('o', 't', '{lead@o.example}') returning id),
         m as (insert into team_members (team_id, person_id, declared) select t.id, p.id, true from t, p)
    insert into budgets (namespace, name, target, scope, amount_nanos, period, time_zone, enforcement, alert_thresholds)
    values ('o', 'hard', '{"teams":["t"]}', 'Shared', 1000000000, 'Daily', 'UTC', 'Hard', '{80}'),
           ('o', 'soft', '{"teams":["t"]}', 'PerMember', 1000000000, 'Daily', 'UTC', 'Soft', '{80,100}')`.execute(handle.db);
});
afterAll(async () => t?.drop());

/** Reserves `estimate` on the named budgets for ann and settles at `cost`, through the real functions. */
async function charge(budgets: readonly string[], estimate: bigint, cost: bigint, legacy = false): Promise<string> {
  const db = handle.db;
  const person = await db.selectFrom('people').select('id').where('email', '=', 'ann@o.example').executeTakeFirstOrThrow();
  const claims = [];
  for (const b of budgets) {
    const row = await db.selectFrom('budgets').selectAll().where('name', '=', b).executeTakeFirstOrThrow();
    const w = periodWindow(row.period, row.time_zone, new Date());
    claims.push({ budgetId: row.id, owner: row.scope === 'Shared' ? 'shared' : `person:${person.id}`, periodStart: w.start, periodEnd: w.end, limitNanos: row.amount_nanos, hard: row.enforcement === 'Hard' });
  }
  const requestId = `req-${++seq}`;
  const context = { person_id: String(person.id), email: 'ann@o.example', team: 'o/t', cost_center: null, provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat.completions', stream: false };
  if (legacy) {
    // Before the later migrations the reservation statement differed: write the rows it wrote.
    for (const c of claims) {
      await sql`insert into wallets (budget_id, owner, period_start, period_end, limit_nanos, hard, reserved_nanos)
                values (${c.budgetId}, ${c.owner}, ${c.periodStart}, ${c.periodEnd}, ${c.limitNanos}, ${c.hard}, ${estimate})
                on conflict (budget_id, owner, period_start) do update set reserved_nanos = wallets.reserved_nanos + ${estimate}`.execute(db);
    }
    await sql`insert into reservations (request_id, budget_ids, owners, period_starts, estimate_nanos, deadline, context)
              values (${requestId}, ${claims.map((c) => String(c.budgetId))}::bigint[], ${claims.map((c) => c.owner)}::text[],
                      ${claims.map((c) => c.periodStart.toISOString())}::timestamptz[], ${estimate}, now() + interval '1 minute', ${JSON.stringify(context)}::jsonb)`.execute(db);
  } else {
    const [reserved] = await reserveMany(db, [{ requestId, claims, estimateNanos: estimate, deadline: new Date(Date.now() + 60_000), context }]);
    expect(reserved!.ok).toBe(true);
  }
  const s: Settlement = { requestId, costNanos: cost, pricingStatus: 'priced', inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, httpStatus: 200, latencyMs: 3, occurredAt: new Date() };
  await settleMany(db, [s]);
  return requestId;
}

describe('overage in the hash chain', () => {
  it('keeps rows written before the migration verifying, and records overages after it', async () => {
    await charge(['hard'], 1_000n, 900n, true);
    await charge(['hard'], 1_000n, 1_500n, true); // above its reservation, before overages existed
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 2, ok: true });
    const before = await sql<{ hash: Buffer }>`select hash from usage_events order by seq`.execute(handle.db);

    await migrateToLatest(handle.db);
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 2, ok: true });
    const after = await sql<{ hash: Buffer; overage_nanos: bigint }>`select hash, overage_nanos from usage_events order by seq`.execute(handle.db);
    expect(after.rows.map((r) => r.hash)).toEqual(before.rows.map((r) => r.hash));
    expect(after.rows.map((r) => r.overage_nanos)).toEqual([0n, 0n]);

    const over = await charge(['hard', 'soft'], 1_000n, 1_600n);
    const overAgain = await charge(['hard'], 1_000n, 1_200n); // the wallet's second overage: recorded, alerted once per period
    const within = await charge(['hard'], 1_000n, 1_000n);
    const softOnly = await charge(['soft'], 1_000n, 5_000n); // a soft wallet has no limit to overrun
    const rows = await handle.db.selectFrom('usage_events').select(['request_id', 'overage_nanos']).where('seq', '>', 2n).orderBy('seq').execute();
    expect(rows.map((r) => [r.request_id, r.overage_nanos])).toEqual([
      [over, 600n],
      [overAgain, 200n],
      [within, 0n],
      [softOnly, 0n],
    ]);
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 6, ok: true });
  });

  it('binds the overage into the row hash: the canonical text carries it', async () => {
    const { rows } = await sql<{ canonical: string; overage_nanos: bigint }>`
      select usage_event_canonical(e) as canonical, e.overage_nanos from usage_events e order by seq`.execute(handle.db);
    for (const r of rows) {
      if (r.overage_nanos === 0n) expect(r.canonical).not.toContain('overage=');
      else expect(r.canonical.endsWith(`|overage=${r.overage_nanos}`)).toBe(true);
    }
  });

  it('alerts the hard wallet once per period, to the team owners, with the first overage', async () => {
    const alerts = await sql<{ kind: string; details: Record<string, unknown>; threshold: number | null; id: bigint }>`
      select id, kind, details, threshold from budget_alerts where kind = 'overage'`.execute(handle.db);
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0]).toMatchObject({ details: { requestId: 'req-3', overageNanos: '600', costNanos: '1600' }, threshold: null });
    const deliveries = await sql<{ recipient: string }>`select recipient from alert_deliveries where alert_id = ${alerts.rows[0]!.id} order by recipient`.execute(handle.db);
    expect(deliveries.rows.map((d) => d.recipient)).toEqual(['lead@o.example', 'webhook']);
  });
});
