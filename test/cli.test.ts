// The CLI as an operator runs it: migrate, keys create/list/revoke, audit verify.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/keys/api-key.ts';
import { syncResources } from '../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const run = promisify(execFile);
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, await loadResourceFolder('examples'));
});
afterAll(async () => t?.drop());

const stipend = (...args: string[]) =>
  run(process.execPath, ['src/cli/main.ts', ...args], { env: { ...process.env, STIPEND_DATABASE_URL: t.url } });

describe('stipend CLI', () => {
  it('migrate is idempotent', async () => {
    const { stdout } = await stipend('migrate');
    expect(stdout).toContain('database is up to date');
  });

  it('keys create prints a key once and stores only its hash', async () => {
    const { stdout } = await stipend('keys', 'create', '--email', 'Ada@Acme.example');
    const key = stdout.trim();
    expect(key).toMatch(/^sk-stipend-[A-Za-z0-9_-]{43}$/);
    const rows = await t.handle.db.selectFrom('api_keys').selectAll().execute();
    expect(rows.some((r) => r.key_hash === hashApiKey(key))).toBe(true);
    expect(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(key);
    const list = (await stipend('keys', 'list')).stdout;
    expect(list).toContain('ada@acme.example');
    expect(list).not.toContain(key);
    expect((await stipend('keys', 'revoke', '--key', key)).stdout).toContain('revoked 1 key(s)');
    expect((await stipend('keys', 'list')).stdout).toContain('revoked');
  });

  it('refuses a key for someone who is not a person in Stipend, with a clear message', async () => {
    const error = (await stipend('keys', 'create', '--email', 'nobody@acme.example').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr.trim()).toBe('stipend: no active person with email nobody@acme.example');
  });

  it('usage errors exit 2 without a stack trace', async () => {
    const error = (await stipend('keys', 'bogus').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/^stipend: unknown command 'keys bogus'; commands: create, revoke, list/);
    const missing = (await run(process.execPath, ['src/cli/main.ts', 'migrate'], { env: { ...process.env, STIPEND_DATABASE_URL: '' } }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('STIPEND_DATABASE_URL is not set');
  });

  it('audit verify passes on an intact ledger and fails on a tampered one', async () => {
    expect((await stipend('audit', 'verify')).stdout).toContain('ledger intact');
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    await c.query(`insert into usage_events (request_id, occurred_at, provider, model, endpoint, stream, cost_nanos, pricing_status)
                   values ('r1', now(), 'openai', 'gpt-4o', 'chat.completions', false, 100, 'priced'),
                          ('r2', now(), 'openai', 'gpt-4o', 'chat.completions', false, 200, 'priced')`);
    await c.query('alter table usage_events disable trigger usage_events_no_update');
    await c.query("update usage_events set cost_nanos = 1 where request_id = 'r1'");
    await c.query('alter table usage_events enable trigger usage_events_no_update');
    await c.end();
    const error = (await stipend('audit', 'verify').catch((e: unknown) => e)) as { code: number; stdout: string };
    expect(error.code).toBe(3);
    expect(error.stdout).toContain('LEDGER TAMPERED: chain breaks at seq 1');
  });
});
