import type { Db } from '../../src/db/database.ts';

export async function ledgerRow(db: Db, requestId: string) {
  return db.selectFrom('usage_events').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Ledger rows are written after the response; poll briefly for them. */
export async function waitForLedgerRow(db: Db, requestId: string, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await ledgerRow(db, requestId);
    if (row) return row;
    if (Date.now() > until) throw new Error(`no ledger row for ${requestId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForNoReservations(db: Db, timeoutMs = 5000): Promise<void> {
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
