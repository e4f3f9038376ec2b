// Reservations/s on ONE hot Shared wallet, next to a raw single-row UPDATE … RETURNING
// loop on the same Postgres with the same concurrency: the ratio is what matters.
import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { createReservationBatcher } from '../src/ledger/reservation-batcher.ts';
import type { LedgerContext } from '../src/ledger/ledger-row.ts';

export interface HotWalletFigures {
  readonly reservePlusSettlePerSec: number;
  readonly reserveOnlyPerSec: number;
  readonly batchedReservePerSec: number;
  readonly rawUpdatePerSec: number;
}

async function loop(workers: number, ms: number, op: (worker: number, i: number) => Promise<void>): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        await op(w, i);
        done++;
      }
    }),
  );
  return done / (ms / 1000);
}

export async function benchHotWallet(db: Db, url: string, workers: number, ms: number): Promise<HotWalletFigures> {
  const budget = await db
    .insertInto('budgets')
    .values({ namespace: 'bench', name: `hot-${Date.now()}`, target: JSON.stringify({ teams: ['bench'] }), scope: 'Shared', amount_nanos: 10n ** 15n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard', alert_thresholds: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const claim = [[String(budget.id)], ['shared'], ['2026-11-01T00:00:00Z'], ['2026-12-01T00:00:00Z'], [String(10n ** 15n)], [true]];
  const context = JSON.stringify({ person_id: '1', email: 'bench@x', team: null, cost_center: null, provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat.completions', stream: false });
  const deadline = new Date(Date.now() + 3_600_000).toISOString();
  const event = JSON.stringify({ pricing_status: 'priced', input_tokens: 10, output_tokens: 10, http_status: 200, latency_ms: 1 });

  // Each worker on its own connection, as gateway replicas would be.
  const clients = await Promise.all(Array.from({ length: workers }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  const run = Date.now();
  // One request per transaction: what a gateway does when nobody else is waiting.
  const reserveSql =
    "select ok from stipend_reserve_many(array[$1], '{1000}', array[$8::timestamptz], array[$9::jsonb], '{1}', $2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[], $7::boolean[])";
  const settleSql = "select stipend_settle_many(array[$1], '{400}', '{t}', array[$2::jsonb])";
  const reserveOnlyPerSec = await loop(workers, ms, async (w, i) => {
    await clients[w]!.query(reserveSql, [`ro-${run}-${w}-${i}`, ...claim, deadline, context]);
  });
  const reservePlusSettlePerSec = await loop(workers, ms, async (w, i) => {
    const id = `rs-${run}-${w}-${i}`;
    await clients[w]!.query(reserveSql, [id, ...claim, deadline, context]);
    await clients[w]!.query(settleSql, [id, event]);
  });
  // The gateway's own path: concurrent callers coalesced into batched transactions.
  const reserveBatched = createReservationBatcher(db);
  const claimObj = { budgetId: budget.id, owner: 'shared', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), limitNanos: 10n ** 15n, hard: true };
  const ctx = JSON.parse(context) as LedgerContext;
  const batchedReservePerSec = await loop(64, ms, async (w, i) => {
    await reserveBatched({ requestId: `rb-${run}-${w}-${i}`, claims: [claimObj], estimateNanos: 1000n, deadline: new Date(deadline), context: ctx });
  });
  await sql`create table if not exists bench_counter (id int primary key, v bigint not null)`.execute(db);
  await sql`insert into bench_counter values (1, 0) on conflict do nothing`.execute(db);
  const rawUpdatePerSec = await loop(workers, ms, async (w) => {
    await clients[w]!.query('update bench_counter set v = v + 1 where id = 1 returning v');
  });
  await Promise.all(clients.map((c) => c.end()));
  return { reservePlusSettlePerSec, reserveOnlyPerSec, batchedReservePerSec, rawUpdatePerSec };
}
