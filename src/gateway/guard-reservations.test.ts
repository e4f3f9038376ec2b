import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reserver } from '../ledger/reservation-batcher.ts';
import type { ReserveInput, ReserveResult } from '../ledger/reserve.ts';
import type { Charger } from './charge.ts';
import { GatewayError } from './errors.ts';
import { guardReservations } from './guard-reservations.ts';

const input = { requestId: 'r1' } as ReserveInput;
const ok: ReserveResult = { ok: true, wallets: [] };
const refused: ReserveResult = { ok: false, wallets: [] };

function fakeCharger(pending = false) {
  const released: string[] = [];
  let settled = 0;
  const charger: Charger = {
    charge: async () => undefined,
    release: async (id) => void released.push(id),
    hasPending: () => pending,
    settlePending: async () => {
      settled++;
      pending = false;
    },
    drain: async () => undefined,
  };
  return { charger, released, settled: () => settled };
}

const options = { timeoutMs: 1_000, retryAfterSeconds: 2 };

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('guardReservations', () => {
  it('Postgres refusing connections → 503 service_unavailable with Retry-After; nothing to release', async () => {
    const c = fakeCharger();
    const reserve: Reserver = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    };
    const error = await refusal(guardReservations(reserve, c.charger, options)(input));
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable', headers: { 'retry-after': '2' } });
    expect(c.released).toEqual([]);
  });

  it('a connection lost mid-reservation → 503, and the reservation is released in case it was committed', async () => {
    const c = fakeCharger();
    const reserve: Reserver = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    expect((await refusal(guardReservations(reserve, c.charger, options)(input))).code).toBe('service_unavailable');
    expect(c.released).toEqual(['r1']);
  });

  it('a reservation slower than the timeout → 503 at the timeout; released only if it later commits', async () => {
    for (const [late, expected] of [
      [ok, ['r1']],
      [refused, []],
    ] as const) {
      const c = fakeCharger();
      let finish!: (r: ReserveResult) => void;
      const reserve: Reserver = () => new Promise((resolve) => (finish = resolve));
      const answer = refusal(guardReservations(reserve, c.charger, options)(input));
      await vi.advanceTimersByTimeAsync(1_000);
      expect((await answer).code).toBe('service_unavailable');
      expect(c.released).toEqual([]);
      finish(late);
      await vi.advanceTimersByTimeAsync(0);
      expect(c.released).toEqual(expected);
    }
  });

  it('refused while settlements are pending: writes them first and tries once more', async () => {
    const c = fakeCharger(true);
    const answers = [refused, ok];
    const reserve = vi.fn<Reserver>(async () => answers.shift()!);
    expect(await guardReservations(reserve, c.charger, options)(input)).toBe(ok);
    expect(c.settled()).toBe(1);
    expect(reserve).toHaveBeenCalledTimes(2);
  });

  it('refused with nothing pending: refused at once, no second attempt', async () => {
    const c = fakeCharger(false);
    const reserve = vi.fn<Reserver>(async () => refused);
    expect(await guardReservations(reserve, c.charger, options)(input)).toBe(refused);
    expect(reserve).toHaveBeenCalledTimes(1);
    expect(c.settled()).toBe(0);
  });
});
