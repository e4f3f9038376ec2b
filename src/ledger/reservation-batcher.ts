import type { Db } from '../db/database.ts';
import { reserveMany, type ReserveInput, type ReserveResult } from './reserve.ts';

export type Reserver = (input: ReserveInput) => Promise<ReserveResult>;

const MAX_BATCH = 128;
const MAX_IN_FLIGHT = 2;

/**
 * Group commit for reservations: a request that arrives while batches are in
 * Postgres waits for the next one, so under load one transaction (and one lock on a
 * hot wallet) serves many requests, and at low load a batch is one request with no
 * added delay. Correctness is the database's: each request is all-or-nothing there.
 */
export function createReservationBatcher(db: Db): Reserver {
  let queue: { input: ReserveInput; resolve: (r: ReserveResult) => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      inFlight++;
      reserveMany(db, batch.map((b) => b.input))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return (input) =>
    new Promise<ReserveResult>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      pump();
    });
}
