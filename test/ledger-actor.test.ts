// The key and service account join the hash chain without breaking it (migration 0017):
// rows written before verify as they did; a service row's key is part of what the chain protects.
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
import { settle, settleMany, type Settlement } from '../src/ledger/settle.ts';
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
  await migrateTo(handle.db, '0013-alerts-that-fire'); // the ledger before 0017
  await sql`
    with p as (insert into people (email) values ('ann@o.example') returning id),
         t as (insert into teams (namespace, name, owners) values ('o', 't', '{lead@o.example}') returning id),
         m as (insert into team_members (team_id, person_id, declared) select t.id, p.id, true from t, p)
    insert into budgets (namespace, name, target, scope, amount_nanos, period, time_zone, enforcement, alert_thresholds)
    values ('o', 'cap', '{"teams":["t"]}', 'Shared', 1000000000, 'Daily', 'UTC', 'Hard', '{80}')`.execute(handle.db);
});
afterAll(async () => {
  await handle?.close();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

async function charge(context: LedgerContext, single: boolean): Promise<string> {
  const db = handle.db;
  const row = await db.selectFrom('budgets').selectAll().where('name', '=', 'cap').executeTakeFirstOrThrow();
  const w = periodWindow(row.period, row.time_zone, new Date());
  const requestId = `req-${++seq}`;
  const claims = [{ budgetId: row.id, owner: 'shared', periodStart: w.start, periodEnd: w.end, limitNanos: row.amount_nanos, hard: true }];
  const [reserved] = await reserveMany(db, [{ requestId, claims, estimateNanos: 1_000n, deadline: new Date(Date.now() + 60_000), context }]);
  expect(reserved!.ok).toBe(true);
  const s: Settlement = { requestId, costNanos: 700n, pricingStatus: 'priced', inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, httpStatus: 200, latencyMs: 3, occurredAt: new Date() };
  if (single) await settle(db, s);
  else await settleMany(db, [s]);
  return requestId;
}

const person = (id: bigint): LedgerContext => ({ person_id: String(id), email: 'ann@o.example', team: 'o/t', cost_center: null, provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat.completions', stream: false });
const service: LedgerContext = { person_id: null, email: null, api_key_id: '42', service_account: 'o/t/ci-bot', team: 'o/t', cost_center: null, provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat.completions', stream: false };

describe('api_key_id and service_account in the hash chain', () => {
  it('keeps rows written before the migration verifying, then records service rows through both settle paths', async () => {
    const ann = (await handle.db.selectFrom('people').select('id').executeTakeFirstOrThrow()).id;
    await charge(person(ann), false);
    await charge(person(ann), true);
    const before = await sql<{ hash: Buffer }>`select hash from usage_events order by seq`.execute(handle.db);
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 2, ok: true });

    await migrateToLatest(handle.db);
    const after = await sql<{ hash: Buffer }>`select hash from usage_events order by seq`.execute(handle.db);
    expect(after.rows.map((r) => r.hash)).toEqual(before.rows.map((r) => r.hash));
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 2, ok: true });

    const batch = await charge(service, false);
    const single = await charge(service, true); // stipend_settle: the sweeper's path
    const rows = await handle.db.selectFrom('usage_events').select(['request_id', 'person_id', 'api_key_id', 'service_account']).where('seq', '>', 2n).orderBy('seq').execute();
    expect(rows).toEqual([
      { request_id: batch, person_id: null, api_key_id: 42n, service_account: 'o/t/ci-bot' },
      { request_id: single, person_id: null, api_key_id: 42n, service_account: 'o/t/ci-bot' },
    ]);
    expect(await verifyLedger(handle.db)).toMatchObject({ rows: 4, ok: true });
    const { rows: texts } = await sql<{ canonical: string }>`select usage_event_canonical(e) as canonical from usage_events e order by seq`.execute(handle.db);
    expect(texts.slice(0, 2).every((t) => !t.canonical.includes('key='))).toBe(true);
    expect(texts.slice(2).every((t) => t.canonical.endsWith('|key=42|service=o/t/ci-bot'))).toBe(true);
  });

  it('detects a rewritten key: the chain binds it', async () => {
    // A superuser can switch the write-once trigger off; the chain still tells.
    await sql`alter table usage_events disable trigger usage_events_no_update`.execute(handle.db);
    await sql`update usage_events set api_key_id = 43 where seq = 3`.execute(handle.db);
    await sql`alter table usage_events enable trigger usage_events_no_update`.execute(handle.db);
    expect(await verifyLedger(handle.db)).toMatchObject({ ok: false });
  });
});
