// The anchor outside the database: a superuser who edits a row and recomputes every hash
// after it passes `audit verify` on its own, but not against a checkpoint signed before.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHead } from '../src/ledger/chain-head.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const run = promisify(execFile);
let t: TestDatabase;
let dir: string;
let superuser: pg.Client;

// The services' role runs the audit: it needs no more than the runtime grants.
const stipend = (...args: string[]) =>
  run(process.execPath, ['src/cli/main.ts', 'audit', ...args], { env: { ...process.env, STIPEND_DATABASE_URL: t.runtimeUrl } });
type Outcome = { code: number; stdout: string; stderr: string };
const outcome = (p: Promise<{ stdout: string; stderr: string }>): Promise<Outcome> =>
  p.then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }), (e: unknown) => e as Outcome);

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'stipend-audit-'));
  superuser = new pg.Client({ connectionString: t.url });
  await superuser.connect();
  for (const [id, cost] of [['r1', 100], ['r2', 200], ['r3', 300]] as const) {
    await superuser.query(`insert into usage_events (request_id, occurred_at, provider, model, endpoint, stream, cost_nanos, pricing_status)
                           values ($1, now(), 'openai', 'gpt-4o', 'chat.completions', false, $2, 'priced')`, [id, cost]);
  }
});
afterAll(async () => {
  await superuser?.end();
  rmSync(dir, { recursive: true, force: true });
  await t?.drop();
});

/** What a superuser can do: triggers off, a row edited, every hash from there on recomputed. */
async function rewriteChain(): Promise<void> {
  await superuser.query(`
    alter table usage_events disable trigger user;
    update usage_events set cost_nanos = 1 where request_id = 'r1';
    do $$
    declare r usage_events; prev bytea := sha256(''::bytea);
    begin
      for r in select * from usage_events order by seq loop
        r.prev_hash := prev;
        r.hash := sha256(prev || convert_to(usage_event_canonical(r), 'UTF8'));
        update usage_events set prev_hash = r.prev_hash, hash = r.hash where seq = r.seq;
        prev := r.hash;
      end loop;
      update ledger_head set hash = prev;
    end $$;
    alter table usage_events enable trigger user;`);
}

describe('stipend audit checkpoint / verify --checkpoint', () => {
  it('keygen makes a key pair; the private key is readable by its owner only', async () => {
    const { stdout } = await stipend('keygen', '--private', join(dir, 'signing.pem'), '--public', join(dir, 'public.pem'));
    expect(stdout).toMatch(/^key ed25519:[0-9a-f]{16}: private /);
    expect(statSync(join(dir, 'signing.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'signing.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('signs the chain head into a file and the table; a valid checkpoint verifies', async () => {
    const checkpoints = join(dir, 'checkpoints');
    await import('node:fs').then((fs) => fs.mkdirSync(checkpoints));
    const signed = await stipend('checkpoint', '--key', join(dir, 'signing.pem'), '--out', checkpoints, '--store');
    expect(signed.stdout).toMatch(/^checkpoint of seq 3 written to .*checkpoint-3-.*\.json and stored\n$/);
    const [file] = readdirSync(checkpoints);
    const document = JSON.parse(readFileSync(join(checkpoints, file!), 'utf8')) as { seq: string; hash: string };
    const head = await chainHead(t.handle.db);
    expect(document).toMatchObject({ seq: '3', hash: head.hash });

    const verified = await stipend('verify', '--checkpoint', checkpoints, '--stored', '--public-key', join(dir, 'public.pem'));
    expect(verified.stdout).toBe(`ledger intact: 3 rows, hash chain verified; 2 signed checkpoint(s) match, the latest at seq 3 (signed ${(document as unknown as { signedAt: string }).signedAt})\n`);
  });

  it('a rewritten chain passes without the checkpoint and fails with it; a wrong key or a forged file fails too', async () => {
    await rewriteChain();
    const checkpoints = join(dir, 'checkpoints');
    const [file] = readdirSync(checkpoints);
    // The forger edits the file to name the new head; the signature no longer holds.
    const forged = join(dir, 'forged.json');
    const document = JSON.parse(readFileSync(join(checkpoints, file!), 'utf8')) as Record<string, string>;
    writeFileSync(forged, JSON.stringify({ ...document, hash: (await chainHead(t.handle.db)).hash }));
    const otherKey = join(dir, 'other-public.pem');
    writeFileSync(otherKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));

    const [alone, anchored, stored, wrongKey, forgery] = await Promise.all([
      outcome(stipend('verify')),
      outcome(stipend('verify', '--checkpoint', checkpoints, '--public-key', join(dir, 'public.pem'))),
      outcome(stipend('verify', '--stored', '--public-key', join(dir, 'public.pem'))),
      outcome(stipend('verify', '--checkpoint', checkpoints, '--public-key', otherKey)),
      outcome(stipend('verify', '--checkpoint', forged, '--public-key', join(dir, 'public.pem'))),
    ]);
    expect(alone).toMatchObject({ code: 0, stdout: 'ledger intact: 3 rows, hash chain verified\n' });
    expect(anchored.code).toBe(3);
    expect(anchored.stdout).toMatch(/^LEDGER TAMPERED: row seq 3 differs from the checkpoint signed .* the chain was rewritten\n$/);
    expect(stored.code).toBe(3);
    expect(stored.stdout).toContain('LEDGER TAMPERED: row seq 3 differs from the checkpoint');
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr.trim()).toMatch(/^stipend: .* was signed by ed25519:[0-9a-f]{16}, not by the public key given \(ed25519:[0-9a-f]{16}\)$/);
    expect(forgery.code).toBe(3);
    expect(forgery.stdout).toContain('is forged or altered: its signature does not verify');
  });

  it('refuses to sign a broken chain, and mistakes are one line with exit 2', async () => {
    await superuser.query(`alter table usage_events disable trigger user;
                           update usage_events set cost_nanos = 5 where request_id = 'r2';
                           alter table usage_events enable trigger user;`);
    const [refused, noKey, notCheckpoint, help] = await Promise.all([
      outcome(stipend('checkpoint', '--key', join(dir, 'signing.pem'))),
      outcome(stipend('checkpoint')),
      outcome(stipend('verify', '--checkpoint', join(dir, 'public.pem'), '--public-key', join(dir, 'public.pem'))),
      stipend('checkpoint', '--help'),
    ]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe('LEDGER TAMPERED: chain breaks at seq 2 (3 rows); not signing\n');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr.trim().split('\n')).toEqual(['stipend: no signing key: pass --key FILE or set STIPEND_AUDIT_SIGNING_KEY(_FILE) (make one with stipend audit keygen)']);
    expect(notCheckpoint.code).toBe(2);
    expect(notCheckpoint.stderr).toMatch(/^stipend: .*public\.pem is not JSON: not a Stipend checkpoint\n$/);
    expect(help.stdout).toContain('usage: stipend audit checkpoint');
  });
});
