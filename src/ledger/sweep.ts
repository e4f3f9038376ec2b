import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Charges reservations past their deadline (their gateway died) at the estimate. Safe to run on every replica. */
export async function sweepExpiredReservations(db: Db, now: Date = new Date()): Promise<number> {
  const { rows } = await sql<{ swept: number }>`select stipend_sweep(${now.toISOString()}::timestamptz) as swept`.execute(db);
  return Number(rows[0]?.swept ?? 0);
}

/** Runs the sweep periodically until stopped; errors are reported, never thrown. */
export function startSweeper(db: Db, everyMs: number, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepExpiredReservations(db)
      .catch(onError)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
