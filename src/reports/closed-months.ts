import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Months finance has closed (period close, issue 12 item 4), for the dashboard's month picker.
 * The close itself is built elsewhere; until its table lands this reads a `closed_months`
 * table with a `month` ('YYYY-MM') column when one exists, and no months otherwise.
 * Point this one function at the real table when it lands.
 */
export async function closedMonths(db: Db): Promise<ReadonlySet<string>> {
  const { rows } = await sql<{ t: string | null }>`select to_regclass('closed_months')::text as t`.execute(db);
  if (!rows[0]?.t) return new Set();
  const closed = await sql<{ month: string }>`select month::text as month from closed_months`.execute(db);
  return new Set(closed.rows.map((r) => r.month));
}
