import { mayHaveCommitted } from '../db/db-errors.ts';
import type { Reserver } from '../ledger/reservation-batcher.ts';
import type { ReserveResult } from '../ledger/reserve.ts';
import type { Charger } from './charge.ts';
import { GatewayError } from './errors.ts';

export interface GuardOptions {
  /** A reservation that takes longer is answered 503 (Postgres hung or unreachable). */
  readonly timeoutMs: number;
  /** What a 503 tells the client to wait (seconds). */
  readonly retryAfterSeconds: number;
}

/**
 * The reservation as the request path sees it:
 *
 * - Postgres unreachable (or too slow): 503 `service_unavailable` with Retry-After, and no
 *   provider call. Whether the reservation was committed is then unknown (the
 *   acknowledgement may be what was lost), so it is released once Postgres is back: a
 *   reservation for a call never made must not be swept and charged at its estimate.
 * - Refused while this replica still has settlements in flight: they are written first and
 *   the reservation tried once more, so money that earlier requests released is seen at once
 *   rather than after the settlement batch (sequential requests on a tight wallet).
 */
export function guardReservations(reserve: Reserver, charger: Charger, options: GuardOptions): Reserver {
  const unavailable = () =>
    new GatewayError(
      'service_unavailable',
      'The gateway cannot reach its database, so it cannot check your budget; nothing was sent to the provider. Retry shortly.',
      null,
      { 'retry-after': String(options.retryAfterSeconds) },
    );

  const attempt = async (input: Parameters<Reserver>[0]): Promise<ReserveResult> => {
    const gaveUp = new AbortController();
    const call = reserve(input, gaveUp.signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) =>
        (timer = setTimeout(() => {
          gaveUp.abort(new Error('reservation timed out')); // not sent yet: never sent
          resolve('timeout');
        }, options.timeoutMs)),
    );
    let result: ReserveResult | 'timeout';
    try {
      result = await Promise.race([call, timeout]);
    } catch (error) {
      if (mayHaveCommitted(error)) void charger.release(input.requestId, 503);
      throw unavailable();
    } finally {
      clearTimeout(timer);
    }
    if (result === 'timeout') {
      // Release once the call has an outcome; releasing earlier could miss a late commit.
      call.then(
        (late) => void (late.ok && charger.release(input.requestId, 503)),
        (error: unknown) => {
          if (error === gaveUp.signal.reason) return; // dropped before it was sent
          if (mayHaveCommitted(error)) void charger.release(input.requestId, 503);
        },
      );
      throw unavailable();
    }
    return result;
  };

  return async (input) => {
    const first = await attempt(input);
    if (first.ok || !charger.hasPending()) return first;
    await charger.settlePending();
    return attempt(input);
  };
}
