import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';

/**
 * How long to wait for something the gateway does after its reply (settlement is batched and
 * asynchronous). Generous: on a loaded CI machine a batch can take seconds; the wait ends as
 * soon as the condition holds, so a healthy run never waits this long.
 */
export const SETTLE_DEADLINE_MS = 20_000;

export async function ledgerRow(db: Db, requestId: string) {
  return db.selectFrom('usage_events').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Ledger rows are written after the response; poll for them. */
export async function waitForLedgerRow(db: Db, requestId: string, timeoutMs = SETTLE_DEADLINE_MS) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await ledgerRow(db, requestId);
    if (row) return row;
    if (Date.now() > until) throw new Error(`no ledger row for ${requestId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every request answered so far is settled (its reservation gone, its ledger row and wallet charge committed). */
export async function waitForNoReservations(db: Db, timeoutMs = SETTLE_DEADLINE_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await db.selectFrom('reservations').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
    if (BigInt(open.n) === 0n) return;
    if (Date.now() > until) throw new Error(`${open.n} reservations still open`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function walletsOf(db: Db, budget: string) {
  const [namespace, name] = budget.split('/');
  return db
    .selectFrom('wallets')
    .innerJoin('budgets', 'budgets.id', 'wallets.budget_id')
    .select(['wallets.owner', 'wallets.spent_nanos', 'wallets.reserved_nanos', 'wallets.limit_nanos'])
    .where('budgets.namespace', '=', namespace!)
    .where('budgets.name', '=', name!)
    .execute();
}

export async function ledgerCount(db: Db): Promise<number> {
  const row = await db.selectFrom('usage_events').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ReservationLog {
  /** Reservations inserted since the log was started, or since the given id, oldest first. */
  since(afterId?: bigint): Promise<{ id: bigint; request_id: string; estimate_nanos: bigint }[]>;
  /** The id of the last reservation recorded so far (0 when none). */
  last(): Promise<bigint>;
}

/**
 * Records every reservation the moment it is inserted (a trigger in the test's own database,
 * writing as the owner), so a test can read what the gateway reserved for a request after the
 * request is over, instead of racing the settlement that deletes the reservation.
 */
export async function logReservations(db: Db): Promise<ReservationLog> {
  await sql`create table if not exists test_reservation_log (id bigserial primary key, request_id text not null, estimate_nanos bigint not null)`.execute(db);
  await sql`
    create or replace function test_log_reservation() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      insert into test_reservation_log (request_id, estimate_nanos) values (new.request_id, new.estimate_nanos);
      return new;
    end $$`.execute(db);
  await sql`drop trigger if exists test_log_reservation on reservations`.execute(db);
  await sql`create trigger test_log_reservation after insert on reservations for each row execute function test_log_reservation()`.execute(db);
  return {
    since: async (afterId = 0n) =>
      (await sql<{ id: string; request_id: string; estimate_nanos: string }>`select id, request_id, estimate_nanos from test_reservation_log where id > ${afterId} order by id`.execute(db)).rows.map((r) => ({
        id: BigInt(r.id),
        request_id: r.request_id,
        estimate_nanos: BigInt(r.estimate_nanos),
      })),
    last: async () => BigInt((await sql<{ id: string | null }>`select max(id) as id from test_reservation_log`.execute(db)).rows[0]!.id ?? 0),
  };
}
