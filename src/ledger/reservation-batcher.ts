import type { Db } from '../db/database.ts';
import { reserveMany, type ReserveInput, type ReserveResult } from './reserve.ts';

/** Reserves for one request; a request whose caller gave up (`signal` aborted) before it was sent is never sent. */
export type Reserver = (input: ReserveInput, signal?: AbortSignal) => Promise<ReserveResult>;

const MAX_BATCH = 128;
const MAX_IN_FLIGHT = 2;

interface Queued {
  readonly input: ReserveInput;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (r: ReserveResult) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for reservations: a request that arrives while batches are in
 * Postgres waits for the next one, so under load one transaction (and one lock on a
 * hot wallet) serves many requests, and at low load a batch is one request with no
 * added delay. Correctness is the database's: each request is all-or-nothing there.
 *
 * While Postgres hangs, requests queue here; those whose caller has given up (answered 503)
 * are dropped before they are sent, so a recovering database is not flooded with
 * reservations nobody waits for.
 */
export function createReservationBatcher(db: Db): Reserver {
  let queue: Queued[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const batch: Queued[] = [];
      while (batch.length < MAX_BATCH && queue.length > 0) {
        const next = queue.shift()!;
        if (next.signal?.aborted) next.reject(next.signal.reason);
        else batch.push(next);
      }
      if (batch.length === 0) return;
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

  return (input, signal) =>
    new Promise<ReserveResult>((resolve, reject) => {
      queue.push({ input, signal, resolve, reject });
      pump();
    });
}
