// Per-person rate limits counted in Postgres (stipend_reserve_rated): the sliding minute,
// exact retry times, only reserved requests counted, tokens from ledger rows, and
// concurrent callers on separate connections admitting exactly the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/connect-postgres.ts';
import type { DbHandle } from '../src/db/db-handle.ts';
import { reserveMany, type RateClaim, type ReserveInput, type WalletClaim } from '../src/ledger/reserve.ts';
import type { LedgerContext } from '../src/ledger/ledger-row.ts';
import { settleMany } from '../src/ledger/settle.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

let t: TestDatabase;
let runtime: DbHandle;
let budgetId: bigint;
beforeAll(async () => {
  t = await createTestDatabase();
  runtime = connectPostgres({ connectionString: t.runtimeUrl, maxConnections: 20 });
  const b = await t.handle.db
    .insertInto('budgets')
    .values({ namespace: 'n', name: 'b', target: '{}', scope: 'Shared', amount_nanos: 1n, period: 'Monthly', time_zone: 'UTC', enforcement: 'Hard', alert_thresholds: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  budgetId = b.id;
});
afterAll(async () => {
  await runtime?.close();
  await t?.drop();
});

const context: LedgerContext = { person_id: '1', email: 'a@x', team: null, cost_center: null, provider: 'openai', model: 'm', endpoint: 'e', stream: false };
const claim = (owner: string, limitNanos = 1_000_000_000n): WalletClaim => ({
  budgetId, owner, periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), limitNanos, hard: true,
});
let seq = 0;
const request = (rate: RateClaim | undefined, estimateNanos = 10n, owner = 'wallet'): ReserveInput => ({
  requestId: `r${++seq}`, claims: [claim(owner)], estimateNanos, deadline: new Date(Date.now() + 60_000), context: { ...context, person_id: String(rate?.personId ?? 0n) }, rate,
});
const rpm = (personId: bigint, n: number): RateClaim => ({ personId, requestsPerMinute: n, tokensPerMinute: null });
const at = (iso: string) => new Date(`2030-01-01T${iso}Z`);
const counters = (personId: bigint) => t.handle.db.selectFrom('rate_windows').selectAll().where('person_id', '=', personId).executeTakeFirst();

describe('requests per minute, counted in Postgres', () => {
  it('admits the limit within a minute and says exactly when the next one fits', async () => {
    const results = await reserveMany(runtime.db, [request(rpm(1n, 3)), request(rpm(1n, 3)), request(rpm(2n, 3)), request(rpm(1n, 3)), request(rpm(1n, 3)), request(undefined)], at('10:00:10'));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, false, true]);
    // Next minute at 10:01:00, then the previous minute's 3 must weigh ≤ 2: 1/3 into it.
    expect(results[4]!.rateLimited).toEqual({ reason: 'requests', retryAfterMs: 70_000 });
    expect(results[4]!.wallets).toEqual([]);
    expect(await counters(1n)).toMatchObject({ requests: 3, prev_requests: 0 });
  });

  it('slides: the previous minute weighs what the window still covers of it', async () => {
    // 10:01:30: 0 + 3 × 0.5 + 1 = 2.5 ≤ 3, then 1 + 1.5 + 1 > 3.
    const [a, b] = await reserveMany(runtime.db, [request(rpm(1n, 3)), request(rpm(1n, 3))], at('10:01:30'));
    expect(a!.ok).toBe(true);
    expect(b!.rateLimited).toEqual({ reason: 'requests', retryAfterMs: 10_000 });
    // Just before the retry time it is still refused; at it, admitted.
    const [early] = await reserveMany(runtime.db, [request(rpm(1n, 3))], at('10:01:39.900'));
    expect(early!.rateLimited?.reason).toBe('requests');
    const [onTime] = await reserveMany(runtime.db, [request(rpm(1n, 3))], at('10:01:40'));
    expect(onTime!.ok).toBe(true);
  });

  it('a request refused for money is not counted', async () => {
    const [poor] = await reserveMany(runtime.db, [request(rpm(3n, 1), 10n, 'tiny')].map((r) => ({ ...r, claims: [claim('tiny', 5n)] })), at('11:00:00'));
    expect(poor!.ok).toBe(false);
    expect(poor!.rateLimited).toBeUndefined();
    expect(await counters(3n)).toMatchObject({ requests: 0 });
    const [rich] = await reserveMany(runtime.db, [request(rpm(3n, 1))], at('11:00:01'));
    expect(rich!.ok).toBe(true);
  });

  it('separate connections racing for one person admit exactly the limit', async () => {
    const attempts = Array.from({ length: 60 }, () => reserveMany(runtime.db, [request(rpm(4n, 25))], at('12:00:05')));
    const results = (await Promise.all(attempts)).flat();
    expect(results.filter((r) => r.ok)).toHaveLength(25);
    expect(results.filter((r) => r.rateLimited?.reason === 'requests')).toHaveLength(35);
  });
});

describe('tokens per minute, from the ledger rows', () => {
  it('counts the tokens of settled requests and refuses once the window holds the limit', async () => {
    const limits: RateClaim = { personId: 5n, requestsPerMinute: null, tokensPerMinute: 100 };
    const settleWith = async (requestId: string, input: number, output: number) =>
      settleMany(runtime.db, [{ requestId, costNanos: 1n, pricingStatus: 'priced', inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: output, reasoningTokens: 0, httpStatus: 200, latencyMs: 1, occurredAt: new Date() }]);
    const first = request(limits);
    expect((await reserveMany(runtime.db, [first]))[0]!.ok).toBe(true);
    await settleWith(first.requestId, 50, 30);
    expect(await counters(5n)).toMatchObject({ tokens: 80n });
    const second = request(limits);
    expect((await reserveMany(runtime.db, [second]))[0]!.ok).toBe(true); // 80 < 100
    await settleWith(second.requestId, 10, 20);
    const [third] = await reserveMany(runtime.db, [request(limits)]);
    expect(third!.rateLimited?.reason).toBe('tokens');
    expect(third!.rateLimited!.retryAfterMs).toBeGreaterThan(0);
  });

  it("counts a service key's tokens against its account (the negated account id), as its requests are", async () => {
    const db = t.handle.db;
    const team = await db.insertInto('teams').values({ namespace: 'n', name: 'bots', owners: [] }).returning('id').executeTakeFirstOrThrow();
    const account = await db.insertInto('service_accounts').values({ team_id: team.id, name: 'ci-bot' }).returning('id').executeTakeFirstOrThrow();
    const key = await db.insertInto('api_keys').values({ service_account_id: account.id, key_hash: 'h-ci-bot', key_prefix: 'sk-x' }).returning('id').executeTakeFirstOrThrow();
    const limits: RateClaim = { personId: -account.id, requestsPerMinute: null, tokensPerMinute: 100 };
    const asBot = (): ReserveInput => {
      const r = request(limits);
      return { ...r, context: { ...r.context, person_id: null, email: null, api_key_id: String(key.id), service_account: 'n/bots/ci-bot' } };
    };
    const first = asBot();
    expect((await reserveMany(runtime.db, [first]))[0]!.ok).toBe(true);
    await settleMany(runtime.db, [{ requestId: first.requestId, costNanos: 1n, pricingStatus: 'priced', inputTokens: 70, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 40, reasoningTokens: 0, httpStatus: 200, latencyMs: 1, occurredAt: new Date() }]);
    expect(await counters(-account.id)).toMatchObject({ tokens: 110n });
    const [next] = await reserveMany(runtime.db, [asBot()]);
    expect(next!.rateLimited?.reason).toBe('tokens');
  });

  it('people without limits get no counter rows', async () => {
    const plain = request(undefined);
    await reserveMany(runtime.db, [plain]);
    await settleMany(runtime.db, [{ requestId: plain.requestId, costNanos: 1n, pricingStatus: 'priced', inputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, httpStatus: 200, latencyMs: 1, occurredAt: new Date() }]);
    expect(await counters(0n)).toBeUndefined();
  });
});
