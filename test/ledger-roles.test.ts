// Least privilege in Postgres: migrations run as an owner role, the services as a runtime
// role that owns nothing. The runtime role cannot disable triggers, alter tables or write
// the ledger or the money directly; it can do everything the services do, through the
// stipend_* functions (SECURITY DEFINER, search_path pinned) for the ledger.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/connect-postgres.ts';
import type { DbHandle } from '../src/db/db-handle.ts';
import { RUNTIME_TABLE_GRANTS } from '../src/db/runtime-grants.ts';
import { scramSha256Verifier } from '../src/db/scram-verifier.ts';
import { createApiKey, revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { verifyLedger } from '../src/ledger/audit.ts';
import { reserveMany } from '../src/ledger/reserve.ts';
import { settleMany } from '../src/ledger/settle.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import { serverUrl } from './support/test-database.ts';

const run = promisify(execFile);
const name = `stipend_roles_${randomBytes(5).toString('hex')}`;
const owner = `${name}_owner`;
const app = `${name}_app`;
const urlAs = (user: string, password = '') => {
  const u = new URL(serverUrl);
  u.username = user;
  u.password = password;
  u.pathname = `/${name}`;
  return u.toString();
};
const ownerUrl = urlAs(owner);
const runtimeUrl = urlAs(app, 's3cret-pw');

let superuser: pg.Client;
let ownerClient: pg.Client;
let rt: pg.Client;
let runtime: DbHandle;

const migrate = (env: Record<string, string>, ...args: string[]) =>
  run(process.execPath, ['src/cli/main.ts', 'migrate', ...args], { env: { ...process.env, STIPEND_DATABASE_URL: ownerUrl, ...env } });

beforeAll(async () => {
  superuser = new pg.Client({ connectionString: serverUrl });
  await superuser.connect();
  // The owner is an ordinary role that may create roles (as on managed Postgres), not a superuser.
  await superuser.query(`create role ${owner} login createrole`);
  await superuser.query(`create database ${name} owner ${owner}`);
  ownerClient = new pg.Client({ connectionString: ownerUrl });
  await ownerClient.connect();
});
afterAll(async () => {
  await runtime?.close();
  await rt?.end();
  await ownerClient?.end();
  await superuser.query(`drop database if exists ${name} with (force)`);
  await superuser.query(`drop role if exists ${app}`);
  await superuser.query(`drop role if exists ${owner}`);
  await superuser.end();
});

describe('stipend migrate as the owner, with the runtime role', () => {
  it('migrates, creates the runtime role with its password as a SCRAM verifier, and is idempotent', async () => {
    const first = await migrate({ STIPEND_RUNTIME_DATABASE_URL: runtimeUrl });
    expect(first.stdout).toContain('applied: 0001-policy-tables');
    expect(first.stdout).toMatch(new RegExp(`runtime role ${app}: created; grants set on \\d+ tables, \\d+ functions`));
    expect(first.stderr).toBe('');
    const again = await migrate({ STIPEND_RUNTIME_ROLE: app });
    expect(again.stdout).toContain('database is up to date');
    expect(again.stdout).toContain(`runtime role ${app}: exists`);

    // The stored verifier is the one Postgres itself would make for that password and salt.
    const { rows } = await superuser.query<{ rolpassword: string }>('select rolpassword from pg_authid where rolname = $1', [app]);
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(rows[0]!.rolpassword)!;
    expect(rows[0]!.rolpassword).toBe(scramSha256Verifier('s3cret-pw', Buffer.from(salt!, 'base64'), Number(iterations)));

    rt = new pg.Client({ connectionString: runtimeUrl });
    await rt.connect();
    runtime = connectPostgres({ connectionString: runtimeUrl, maxConnections: 4 });
  });

  it('matches the verifier Postgres computes for a password it hashes itself', async () => {
    const probe = `${name}_probe`;
    await superuser.query(`set password_encryption = 'scram-sha-256'; create role ${probe} password 'pässwörd Ω'`);
    const { rows } = await superuser.query<{ rolpassword: string }>('select rolpassword from pg_authid where rolname = $1', [probe]);
    await superuser.query(`drop role ${probe}`);
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(rows[0]!.rolpassword)!;
    expect(scramSha256Verifier('pässwörd Ω', Buffer.from(salt!, 'base64'), Number(iterations))).toBe(rows[0]!.rolpassword);
  });

  it('refuses a runtime role that is the owner or a superuser, in one line, exit 2', async () => {
    for (const [env, message] of [
      [{ STIPEND_RUNTIME_ROLE: owner }, 'is the role running the migrations'],
      [{ STIPEND_RUNTIME_ROLE: 'postgres' }, 'is a superuser'],
    ] as const) {
      const error = (await migrate(env).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(error.code).toBe(2);
      expect(error.stderr).toContain(message);
      expect(error.stderr.trim().split('\n')).toHaveLength(1);
    }
    const unknown = (await migrate({}, '--bogus').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^stipend: migrate: unknown option --bogus/);
    expect((await migrate({}, '--help')).stdout).toContain('usage: stipend migrate');
  });

  it('every table has a runtime grant decision, and every decision names a real table', async () => {
    const { rows } = await ownerClient.query<{ name: string }>(
      "select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') order by 1",
    );
    expect(rows.map((r) => r.name)).toEqual(Object.keys(RUNTIME_TABLE_GRANTS).sort());
  });
});

const denied = async (query: string, params: unknown[] = []) => {
  const error = (await rt.query(query, params).catch((e: unknown) => e)) as { code?: string; message?: string };
  expect(error.code, `${query} → ${error.message}`).toBe('42501'); // insufficient_privilege / must be owner
};

describe('the runtime role', () => {
  it('cannot disable or drop the ledger triggers, alter or drop tables, or create any', async () => {
    await denied('alter table usage_events disable trigger usage_events_no_update');
    await denied('alter table usage_events disable trigger all');
    await denied('drop trigger usage_events_chain on usage_events');
    await denied('alter table usage_events drop constraint usage_events_cost_nonnegative');
    await denied('alter table wallets add column free_money bigint');
    await denied('drop table ledger_checkpoints');
    await denied('create table public.shadow (id int)');
    await denied('create or replace function stipend_sweep(p_now timestamptz) returns integer language sql as $$ select 0 $$');
    await denied(`set role ${owner}`);
  });

  it('cannot write the ledger, the chain head or the money directly, nor read the migrator\'s tables', async () => {
    await denied(`insert into usage_events (request_id, occurred_at, provider, model, endpoint, stream, cost_nanos, pricing_status)
                  values ('forged', now(), 'openai', 'gpt-4o', 'chat.completions', false, -100, 'priced')`);
    await denied('update usage_events set cost_nanos = 0');
    await denied('delete from usage_events');
    await denied('truncate usage_events');
    await denied('update ledger_head set seq = 0');
    await denied('update wallets set spent_nanos = 0');
    await denied('insert into reservations (request_id, budget_ids, owners, period_starts, estimate_nanos, deadline, context) values ($1, $2, $3, $4, 0, now(), $5)', ['r', [], [], [], {}]);
    await denied('delete from reservations');
    await denied('update rate_windows set requests = 0');
    await denied('update ledger_checkpoints set seq = 0');
    await denied("update api_keys set key_hash = 'x'");
    await denied('select * from kysely_migration');
  });

  it('does everything the services do: policy sync, keys, reservations, settlements, audit', async () => {
    await syncResources(runtime.db, await loadResourceFolder('examples'));
    const { key, id } = await createApiKey(runtime.db, 'ada@acme.example');
    expect(key).toMatch(/^sk-stipend-/);
    expect(await revokeApiKeys(runtime.db, { id })).toBe(1);
    const budget = await runtime.db.selectFrom('budgets').select('id').where('name', '=', 'eng-principal').executeTakeFirstOrThrow();
    const claim = { budgetId: budget.id, owner: 'person:1', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), limitNanos: 10_000n, hard: true };
    const context = { person_id: '1', email: 'ada@acme.example', team: null, cost_center: null, provider: 'openai', model: 'gpt-4o', endpoint: 'chat.completions', stream: false };
    const [ok] = await reserveMany(runtime.db, [{ requestId: 'svc-1', claims: [claim], estimateNanos: 100n, deadline: new Date(Date.now() + 60_000), context, rate: { personId: 1n, requestsPerMinute: 10, tokensPerMinute: null } }]);
    expect(ok!.ok).toBe(true);
    const settled = await settleMany(runtime.db, [{ requestId: 'svc-1', costNanos: 60n, pricingStatus: 'priced', inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 4, reasoningTokens: 0, httpStatus: 200, latencyMs: 5, occurredAt: new Date() }]);
    expect([...settled]).toEqual(['svc-1']);
    expect(await verifyLedger(runtime.db)).toMatchObject({ rows: 1, ok: true });
  });

  it('cannot charge a negative cost even through the functions', async () => {
    const budget = await runtime.db.selectFrom('budgets').select('id').where('name', '=', 'eng-principal').executeTakeFirstOrThrow();
    const claim = { budgetId: budget.id, owner: 'person:1', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z'), limitNanos: 10_000n, hard: true };
    const context = { person_id: '1', email: 'ada@acme.example', team: null, cost_center: null, provider: 'openai', model: 'gpt-4o', endpoint: 'chat.completions', stream: false };
    await reserveMany(runtime.db, [{ requestId: 'svc-neg', claims: [claim], estimateNanos: 100n, deadline: new Date(Date.now() + 60_000), context }]);
    const error = (await rt.query(`select stipend_settle('svc-neg', -500, true, '{"pricing_status":"priced"}')`).catch((e: unknown) => e)) as { code?: string; constraint?: string };
    expect(error.code).toBe('23514'); // check_violation
    expect(error.constraint).toBe('usage_events_cost_nonnegative');
    const negativeTokens = (await rt.query(`select stipend_settle('svc-neg', 5, true, '{"pricing_status":"priced","output_tokens":-9}')`).catch((e: unknown) => e)) as { code?: string };
    expect(negativeTokens.code).toBe('23514');
  });

  it("cannot redirect the functions with its own temporary tables (search_path is pinned, pg_temp last)", async () => {
    await rt.query('create temp table usage_events (like public.usage_events)');
    await rt.query("select stipend_settle('svc-neg', 5, true, '{\"pricing_status\":\"priced\"}')");
    const real = await ownerClient.query("select count(*)::int as n from public.usage_events where request_id = 'svc-neg'");
    expect(real.rows[0].n).toBe(1);
    const temp = await rt.query("select count(*)::int as n from pg_temp.usage_events");
    expect(temp.rows[0].n).toBe(0);
  });
});
