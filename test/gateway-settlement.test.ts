// What a request costs when it does not end cleanly, and the ledger's guarantees.
import OpenAI from 'openai';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/ledger/audit.ts';
import { reserve } from '../src/ledger/reserve.ts';
import { settleMany } from '../src/ledger/settle.ts';
import { sweepExpiredReservations } from '../src/ledger/sweep.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForLedgerRow, walletsOf } from './support/ledger-queries.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const ALAN = 'alan@acme.example';
const db = () => h.database.handle.db;

describe('streams that do not finish', () => {
  it('a client that disconnects mid-stream is charged for what was generated', async () => {
    const client = h.openai(ALAN);
    const { data: stream, response: streamResponse } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        // 20 s of generation if nobody stopped it: "fewer than 200" holds however loaded the machine.
        messages: [{ role: 'user', content: 'long answer mock:tokens=200 mock:delay=100' }],
        stream: true,
      })
      .withResponse();
    const requestId = streamResponse.headers.get('x-request-id')!;
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 5) break; // breaking out of the iterator aborts the HTTP request
    }
    const row = await waitForLedgerRow(db(), requestId);
    expect(row.pricing_status).toBe('estimated');
    expect(row.output_tokens).toBeGreaterThanOrEqual(5);
    expect(row.output_tokens).toBeLessThan(200);
    expect(row.cost_nanos).toBeGreaterThan(0n);
  });

  it('an upstream that drops mid-stream: the client sees an error, the generated part is charged', async () => {
    const { data: stream, response: streamResponse } = await h.openai(ALAN).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'drop mock:tokens=50 mock:drop-after=3' }],
      stream: true,
    }).withResponse();
    const requestId = streamResponse.headers.get('x-request-id')!;
    const consume = async () => {
      for await (const _ of stream) void _;
    };
    await expect(consume()).rejects.toThrow();
    const row = await waitForLedgerRow(db(), requestId);
    // Three tokens were generated; the estimate counts at least that, never the 50 that were not.
    expect(row.pricing_status).toBe('estimated');
    expect(row.output_tokens).toBeGreaterThanOrEqual(3);
    expect(row.output_tokens).toBeLessThan(10);
    expect(row.cost_nanos).toBeGreaterThan(0n);
  });
});

describe('provider errors', () => {
  it('an upstream 500 without usage releases the reservation at no charge', async () => {
    const before = (await walletsOf(db(), 'acme/eng-mid'))[0]?.spent_nanos ?? 0n;
    const error = await h
      .openai(ALAN)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fail mock:status=500' }] })
      .withResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    const requestId = (error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-request-id');
    const row = await waitForLedgerRow(db(), requestId!);
    expect(row).toMatchObject({ http_status: 500, cost_nanos: 0n });
    const [wallet] = await walletsOf(db(), 'acme/eng-mid');
    expect(wallet!.spent_nanos).toBe(before);
    expect(wallet!.reserved_nanos).toBe(0n);
  });

  it('an unreachable provider → 502 in the client shape, nothing charged, no secret leaked; the log and metrics say why', async () => {
    // Nobody listens on port 9; the name does not resolve; the mock speaks plain HTTP to a TLS client.
    const cases = [
      { baseUrl: 'http://127.0.0.1:9/v1', reason: 'refused', code: 'ECONNREFUSED' },
      { baseUrl: 'http://stipend-no-such-host.invalid/v1', reason: 'dns', code: 'ENOTFOUND' },
      { baseUrl: `${h.mock.url.replace('http:', 'https:')}/v1`, reason: 'tls', code: expect.stringMatching(/^(ERR_SSL_|EPROTO)/) },
    ];
    for (const c of cases) {
      const logLines: string[] = [];
      const dead = await startHarness({ database: h.database, env: { OPENAI_BASE_URL: c.baseUrl }, logLines });
      try {
        const response = await fetch(`${dead.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${h.keys[ALAN]}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
        });
        const text = await response.text();
        expect(response.status, c.reason).toBe(502);
        expect(JSON.parse(text).error).toMatchObject({ code: 'upstream_error', message: "The provider 'openai' could not be reached." });
        expect(text).not.toContain('sk-upstream-openai-secret');
        const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
        expect(row).toMatchObject({ http_status: 502, cost_nanos: 0n });
        const logged = logLines.map((l) => JSON.parse(l) as { msg: string; code?: string; upstream?: unknown }).find((l) => l.code === 'upstream_error');
        expect(logged?.upstream, c.reason).toEqual({ reason: c.reason, code: c.code });
        const metrics = await (await fetch(dead.gateway.metricsUrl)).text();
        expect(metrics).toContain(`stipend_upstream_errors_total{provider="openai",reason="${c.reason}"} 1`);
      } finally {
        await dead.close();
      }
    }
  });
});

describe('timeouts', () => {
  it('a provider that does not answer in time → 504 in the client shape, nothing charged', async () => {
    const slow = await startHarness({ database: h.database, env: { STIPEND_UPSTREAM_HEADERS_TIMEOUT_MS: '200' } });
    try {
      const error = await new OpenAI({ apiKey: h.keys[ALAN]!, baseURL: `${slow.url}/v1`, maxRetries: 0 }).chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow mock:latency=1500' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(504);
      expect(apiError.code).toBe('upstream_timeout');
      const row = await waitForLedgerRow(db(), apiError.headers!.get('x-request-id')!);
      expect(row).toMatchObject({ http_status: 504, cost_nanos: 0n });
    } finally {
      await slow.close();
    }
  });
});

describe('ledger', () => {
  const claim = async () => {
    const budget = await db().selectFrom('budgets').select('id').where('name', '=', 'eng-mid').executeTakeFirstOrThrow();
    return { budgetId: budget.id, owner: 'person:sweep', periodStart: new Date('2026-01-01T00:00:00Z'), periodEnd: new Date('2026-02-01T00:00:00Z'), limitNanos: 1_000_000n, hard: true };
  };
  const context = { person_id: '1', email: 'sweep@acme.example', team: null, cost_center: null, provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat.completions', stream: false };
  const walletOf = async (owner: string) =>
    db().selectFrom('wallets').selectAll().where('owner', '=', owner).executeTakeFirstOrThrow();

  it('a reservation whose gateway died is swept at its estimate, marked estimated', async () => {
    const c = await claim();
    const r = await reserve(db(), { requestId: 'dead-gateway-1', claims: [c], estimateNanos: 4242n, deadline: new Date(Date.now() - 1000), context });
    expect(r.ok).toBe(true);
    expect(await sweepExpiredReservations(db())).toBeGreaterThanOrEqual(1);
    const row = await waitForLedgerRow(db(), 'dead-gateway-1');
    expect(row).toMatchObject({ pricing_status: 'estimated', cost_nanos: 4242n, email: 'sweep@acme.example' });
    const wallet = await walletOf('person:sweep');
    expect(wallet.spent_nanos).toBe(4242n);
    expect(wallet.reserved_nanos).toBe(0n);
  });

  it('reconcile is idempotent on the request id', async () => {
    const c = { ...(await claim()), owner: 'person:idem' };
    await reserve(db(), { requestId: 'idem-1', claims: [c], estimateNanos: 500n, deadline: new Date(Date.now() + 60_000), context });
    const settlement = { requestId: 'idem-1', costNanos: 120n, pricingStatus: 'priced' as const, inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0, httpStatus: 200, latencyMs: 3, occurredAt: new Date() };
    expect([...(await settleMany(db(), [settlement]))]).toEqual(['idem-1']);
    expect([...(await settleMany(db(), [settlement]))]).toEqual([]);
    expect([...(await settleMany(db(), [{ ...settlement, costNanos: 999n }]))]).toEqual([]);
    const wallet = await walletOf('person:idem');
    expect(wallet.spent_nanos).toBe(120n);
    expect(wallet.reserved_nanos).toBe(0n);
    const rows = await db().selectFrom('usage_events').selectAll().where('request_id', '=', 'idem-1').execute();
    expect(rows).toHaveLength(1);
  });

  it('a batch settles each request once and charges each wallet the sum', async () => {
    const c = { ...(await claim()), owner: 'person:batch' };
    for (const id of ['b1', 'b2', 'b3']) {
      await reserve(db(), { requestId: id, claims: [c], estimateNanos: 1000n, deadline: new Date(Date.now() + 60_000), context });
    }
    const s = (requestId: string, costNanos: bigint) => ({ requestId, costNanos, pricingStatus: 'priced' as const, inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, httpStatus: 200, latencyMs: 1, occurredAt: new Date() });
    expect([...(await settleMany(db(), [s('b1', 100n), s('b2', 200n)]))].sort()).toEqual(['b1', 'b2']);
    // b2 again is a duplicate; b3 is new.
    expect([...(await settleMany(db(), [s('b2', 999n), s('b3', 300n)]))]).toEqual(['b3']);
    const wallet = await walletOf('person:batch');
    expect(wallet.spent_nanos).toBe(600n);
    expect(wallet.reserved_nanos).toBe(0n);
    const rows = await db().selectFrom('usage_events').select(['request_id', 'wallet_ids']).where('request_id', 'in', ['b1', 'b2', 'b3']).execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.wallet_ids.length === 1 && r.wallet_ids[0] === wallet.id)).toBe(true);
  });

  it('Postgres refuses UPDATE, DELETE and TRUNCATE on the ledger', async () => {
    await expect(sql`update usage_events set cost_nanos = 0`.execute(db())).rejects.toThrow(/write-once/);
    await expect(sql`delete from usage_events`.execute(db())).rejects.toThrow(/write-once/);
    await expect(sql`truncate usage_events`.execute(db())).rejects.toThrow(/write-once/);
  });

  it('the hash chain verifies, and detects an edited row', async () => {
    const before = await verifyLedger(db());
    expect(before.ok).toBe(true);
    expect(before.rows).toBeGreaterThan(3);
    // Someone with superuser rights edits history behind the triggers' back.
    await sql`alter table usage_events disable trigger usage_events_no_update`.execute(db());
    await sql`update usage_events set cost_nanos = cost_nanos + 1 where seq = 2`.execute(db());
    await sql`alter table usage_events enable trigger usage_events_no_update`.execute(db());
    const after = await verifyLedger(db());
    expect(after.ok).toBe(false);
    expect(after.firstBadSeq).toBe(2n);
  });
});
