// Migration 0018: the serving upstream joins the ledger row and its chained hash without
// breaking the chain: rows written before verify as they did; rows after it name their
// upstream and platform, the batch and the sweeper write them, and a rewrite of either is detected.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.ts';
import { verifyLedger } from '../src/ledger/audit.ts';
import type { LedgerContext } from '../src/ledger/ledger-row.ts';
import { periodWindow } from '../src/ledger/period.ts';
import { reserveMany } from '../src/ledger/reserve.ts';
import { settleMany } from '../src/ledger/settle.ts';
import { sweepExpiredReservations } from '../src/ledger/sweep.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

let t: TestDatabase;
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase({ at: '0017-service-accounts', grants: false }); // the ledger before 0018
  await sql`
    with p as (insert into people (email) values ('ann@o.example') returning id),
         t as (insert into teams (namespace, name, owners) values ('o', 't', '{lead@o.example}') returning id),
         m as (insert into team_members (team_id, person_id, declared) select t.id, p.id, true from t, p)
    insert into budgets (namespace, name, target, scope, amount_nanos, period, time_zone, enforcement, alert_thresholds)
    values ('o', 'b', '{"teams":["t"]}', 'Shared', 1000000000, 'Monthly', 'UTC', 'Hard', '{80}')`.execute(t.handle.db);
});
afterAll(async () => t?.drop());

/** batch: the gateway's group commit. sweep: a reservation past its deadline, charged by the sweeper; both through stipend_settle_many. */
async function charge(served: Partial<LedgerContext>, path: 'batch' | 'sweep' = 'batch'): Promise<string> {
  const db = t.handle.db;
  const person = await db.selectFrom('people').select('id').executeTakeFirstOrThrow();
  const budget = await db.selectFrom('budgets').selectAll().executeTakeFirstOrThrow();
  const w = periodWindow(budget.period, budget.time_zone, new Date());
  const claims = [{ budgetId: budget.id, owner: 'shared', periodStart: w.start, periodEnd: w.end, limitNanos: budget.amount_nanos, hard: true }];
  const requestId = `req-${++seq}`;
  const context: LedgerContext = { person_id: String(person.id), email: 'ann@o.example', team: 'o/t', cost_center: null, provider: 'anthropic', model: 'claude-sonnet-4-6', endpoint: 'messages', stream: false, ...served };
  const deadline = new Date(Date.now() + (path === 'sweep' ? -1_000 : 60_000));
  const [reserved] = await reserveMany(db, [{ requestId, claims, estimateNanos: 1_000n, deadline, context }]);
  expect(reserved!.ok).toBe(true);
  if (path === 'sweep') expect(await sweepExpiredReservations(db)).toBe(1);
  else await settleMany(db, [{ requestId, costNanos: 700n, pricingStatus: 'priced', inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, httpStatus: 200, latencyMs: 3, occurredAt: new Date() }]);
  return requestId;
}

describe('the serving upstream in the ledger', () => {
  it('rows before the migration keep their hashes; rows after it carry upstream and platform from both settle paths', async () => {
    await charge({});
    const before = await sql<{ hash: Buffer }>`select hash from usage_events order by seq`.execute(t.handle.db);
    await migrateToLatest(t.handle.db);
    const after = await sql<{ hash: Buffer; upstream: string | null }>`select hash, upstream from usage_events order by seq`.execute(t.handle.db);
    expect(after.rows).toEqual([{ hash: before.rows[0]!.hash, upstream: null }]);

    const many = await charge({ upstream: 'bedrock-us', platform: 'bedrock' });
    const swept = await charge({ upstream: 'vertex-east5', platform: 'vertex-ai' }, 'sweep');
    const direct = await charge({});
    const rows = await t.handle.db.selectFrom('usage_events').select(['request_id', 'upstream', 'platform']).where('seq', '>', 1n).orderBy('seq').execute();
    expect(rows).toEqual([
      { request_id: many, upstream: 'bedrock-us', platform: 'bedrock' },
      { request_id: swept, upstream: 'vertex-east5', platform: 'vertex-ai' },
      { request_id: direct, upstream: null, platform: null },
    ]);
    expect(await verifyLedger(t.handle.db)).toMatchObject({ rows: 4, ok: true });
    const { rows: canonical } = await sql<{ text: string }>`select usage_event_canonical(e) as text from usage_events e order by seq`.execute(t.handle.db);
    expect(canonical[1]!.text.endsWith('|upstream=bedrock-us|platform=bedrock')).toBe(true);
    expect(canonical[0]!.text).not.toContain('upstream=');
  });

  it('a row whose upstream is rewritten (triggers disabled, as only a superuser could) fails verification', async () => {
    await sql`alter table usage_events disable trigger user`.execute(t.handle.db);
    await sql`update usage_events set upstream = 'anthropic' where upstream = 'bedrock-us'`.execute(t.handle.db);
    await sql`alter table usage_events enable trigger user`.execute(t.handle.db);
    expect(await verifyLedger(t.handle.db)).toMatchObject({ ok: false });
  });
});
