import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Adds the finance recipients (STIPEND_FINANCE_ALERT_EMAILS) to every alert not yet fanned
 * out that finance cares about: every kind except thresholds below 100 % (a person at 80 %
 * is theirs and their team's business; a budget used up, a refusal, a forecast overrun or an
 * anomaly is money). Each alert is fanned out once, whatever the list is at that moment, so
 * adding an address later never mails it the history. Returns the deliveries added.
 */
export async function fanOutToFinance(db: Db, recipients: readonly string[]): Promise<number> {
  const { rows } = await sql<{ n: bigint }>`
    with f as (
      update budget_alerts set finance_fanned_out = true
       where id in (select id from budget_alerts where not finance_fanned_out order by id for update skip locked)
      returning id, kind, threshold),
    d as (
      insert into alert_deliveries (alert_id, channel, recipient)
      select f.id, 'email', r from f cross join unnest(${[...recipients]}::text[]) as r
       where f.kind <> 'threshold' or f.threshold >= 100
      on conflict do nothing
      returning 1)
    select count(*)::bigint as n from d`.execute(db);
  return Number(rows[0]?.n ?? 0n);
}
