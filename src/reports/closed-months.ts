import type { Db } from '../db/database.ts';
import { listCloses } from './books/period-closes.repository.ts';

/** Months finance has closed (period close: docs/exports.md), for the dashboard's month picker. */
export async function closedMonths(db: Db): Promise<ReadonlySet<string>> {
  return new Set((await listCloses(db)).map((c) => c.month));
}
