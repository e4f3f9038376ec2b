// Migration 0018: the serving upstream joins the ledger row and its chained hash without
// breaking the chain: rows written before verify as they did; rows after it name their
// upstream and platform, both settle paths write them, and a rewrite of either is detected.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/connect-postgres.ts';
import type { DbHandle } from '../src/db/db-handle.ts';
import { migrateTo, migrateToLatest } from '../src/db/migrate.ts';
import { verifyLedger } from '../src/ledger/audit.ts';
import { periodWindow } from '../src/ledger/period.ts';
import { reserveMany, type LedgerContext } from '../src/ledger/reserve.ts';
import { settle, settleMany } from '../src/ledger/settle.ts';
import { serverUrl } from './support/test-database.ts';

const name = `stipend_test_${randomBytes(6).toString('hex')}`;
let handle: DbHandle;
let seq = 0;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  handle = connectPostgres({ connectionString: url.toString(), maxConnections: 4 });
  await migrateTo(handle.db, '0017-service-accounts');
  await sql`
    with p as (insert into people (email) values ('ann@o.example') returning id),
         t as (insert into teams (namespace, name, owners) values ('o', 't', '{lead@o.example}') returning id),
         m as (insert into team_members (team_id, person_id, declared) select t.id, p.id, true from t, p)
    insert into budgets (namespace, name, target, scope, amount_nanos, period, time_zone, enforcement, alert_thresholds)
    values ('o', 'b', '{"teams":["t"]}', 'Shared', 1000000000, 'Monthly', 'UTC', 'Hard', '{80}')`.execute(handle.db);
});
afterAll(async () => {
  await handle?.close();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

async function charge(served: Partial<LedgerContext>, single = false): Promise<string> {
  const db = handle.db;
  const person = await db.selectFrom('people').select('id').executeTakeFirstOrThrow();
  const budget = await db.selectFrom('budgets').selectAll().executeTakeFirstOrThrow();
  const w = periodWindow(budget.period, budget.time_zone, new Date());
  const claims = [{ budgetId: budget.id, owner: 'shared', periodStart: w.start, periodEnd: w.end, limitNanos: budget.amount_nanos, hard: true }];
  const requestId = `req-${++seq}`;
  const context: LedgerContext = { person_id: String(person.id), email: 'ann@o.example', team: 'o/t', cost_center: null, provider: 'anthropic', model: 'claude-sonnet-4-6', endpoint: 'messages', stream: false, ...served };
  const [reserved] = await reserveMany(db, [{ requestId, claims, estimateNanos: 1_000n, deadline: new Date(Date.now() + 60_000), context }]);
  expect(reserved!.ok).toBe(true);
  const s = { requestId, costNanos: 700n, pricingStatus: 'priced' as const, inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, httpStatus: 200, latencyMs: 3, occurredAt: new Date() };
  if (single) await settle(db, s);
  else await settleMany(db, [s]);
  return requestId;
}

describe('the serving upstream in the ledger', () => {
  it('rows before the migration keep their hashes; rows after it carry upstream and platform from both settle paths', async () => {
    await charge({});
    const before = await sql<{ hash: Buffer }>`select hash from usage_events order by seq`.execute(handle.db);
    await migrateToLatest(handle.db);
    const after = await sql<{ hash: Buffer; upstream: string | null }>`select hash, upstream from usage_events order by seq`.execute(handle.db);
    expect(after.rows).toEqual([{ hash: before.rows[0]!.hash, upstream: null }]);

    const many = await charge({ upstream: 'bedrock-us', platform: 'bedrock' });
    const single = await charge({ upstream: 'vertex-east5', platform: 'vertex-ai' }, true); // the sweeper's path
    const direct = await charge({});
    const rows = await handle.db.selectFrom('usage_events').select(['request_id', 'upstream', 'platform']).where('seq', '>', 1n).orderBy('seq').execute();
    expect(rows).toEqual([
      { request_id: many, upstream: 'bedrock-us', platform: 'bedrock' },
      { request_id: single, upstream: 'vertex-east5', platform: 'vertex-ai' },
      { request_id: direct, upstream: null, platform: null },
    ]);
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 4, ok: true });
    const { rows: canonical } = await sql<{ text: string }>`select usage_event_canonical(e) as text from usage_events e order by seq`.execute(handle.db);
    expect(canonical[1]!.text.endsWith('|upstream=bedrock-us|platform=bedrock')).toBe(true);
    expect(canonical[0]!.text).not.toContain('upstream=');
  });

  it('a row whose upstream is rewritten (triggers disabled, as only a superuser could) fails verification', async () => {
    await sql`alter table usage_events disable trigger user`.execute(handle.db);
    await sql`update usage_events set upstream = 'anthropic' where upstream = 'bedrock-us'`.execute(handle.db);
    await sql`alter table usage_events enable trigger user`.execute(handle.db);
    expect(await verifyLedger(handle.db)).toMatchObject({ ok: false });
  });
});
