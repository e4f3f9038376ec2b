// Service keys: a team's bot key, declared in the Team's YAML, charged to the team's Shared
// wallet, limited by the team's ModelPolicy, named in every ledger row it causes.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STIPEND } from '../src/cli/commands/index.ts';
import type { GroupCommand } from '../src/cli/command.ts';
import { runCli } from '../src/cli/run-cli.ts';
import { hashApiKey } from '../src/keys/api-key.ts';
import { createServiceKey, UnknownServiceAccountError } from '../src/keys/api-keys.repository.ts';
import { verifyLedger } from '../src/ledger/audit.ts';
import { applyTeam } from '../src/policy/apply-team.ts';
import { loadResourceFolder } from '../src/policy/load-resource-folder.ts';
import type { TeamResource } from '../src/policy/resource.schema.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';
import { waitForNoReservations } from './support/ledger-queries.ts';

let h: Harness;
let supportTeam: TeamResource;
const BOT = 'acme/support/helpdesk-bot';

beforeAll(async () => {
  const resources = await loadResourceFolder(new URL('../examples', import.meta.url).pathname);
  supportTeam = resources.find((r): r is TeamResource => r.kind === 'Team' && r.metadata.name === 'support')!;
  expect(supportTeam.spec.serviceAccounts.map((a) => a.name)).toEqual(['helpdesk-bot']);
  h = await startHarness({ resources });
});
afterAll(async () => h?.close());

const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${h.url}/v1`, maxRetries: 0 });

/** Polls the gateway until the key is refused (401) or the deadline passes. */
async function untilRefused(key: string, deadlineMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const status = (await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;
    if (status === 401) return Date.now() - start;
    if (Date.now() - start > deadlineMs) return -1;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('service keys', () => {
  let key: string;
  let keyId: bigint;

  it('are made by an admin for a declared account only, printed once, stored hashed', async () => {
    const db = h.database.handle.db;
    await expect(createServiceKey(db, 'acme/support/no-such-bot')).rejects.toBeInstanceOf(UnknownServiceAccountError);
    await expect(createServiceKey(db, 'not a ref')).rejects.toBeInstanceOf(UnknownServiceAccountError);
    const created = await createServiceKey(db, BOT, 'ci');
    key = created.key;
    keyId = created.id;
    const row = await db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirstOrThrow();
    expect(row.person_id).toBeNull();
    expect(row.key_hash).toBe(hashApiKey(key));
    await h.gateway.policy.reload();
  });

  it("are charged to the team's Shared wallet only, and the ledger row names the key", async () => {
    const db = h.database.handle.db;
    const res = await client(key).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'Draft a reply' }] });
    expect(res.choices[0]?.message.content).toBeTruthy();
    await waitForNoReservations(db);
    const row = await db.selectFrom('usage_events').selectAll().where('api_key_id', '=', keyId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ person_id: null, email: null, team: 'acme/support', cost_center: 'CC-SUP-001', service_account: BOT, pricing_status: 'priced', model: 'gpt-4o-mini' });
    expect(row.cost_nanos).toBeGreaterThan(0n);
    const wallets = await db
      .selectFrom('wallets')
      .innerJoin('budgets', 'budgets.id', 'wallets.budget_id')
      .select(['budgets.name', 'wallets.owner', 'wallets.spent_nanos'])
      .where('wallets.id', 'in', row.wallet_ids)
      .execute();
    // Sam's PerMember "support" budget is not the bot's: only the team cap pays.
    expect(wallets).toEqual([{ name: 'support-team-cap', owner: 'shared', spent_nanos: row.cost_nanos }]);
    expect(await verifyLedger(db)).toMatchObject({ ok: true });
  });

  it("are limited by the team's ModelPolicy: a model outside it is 403, nothing reserved", async () => {
    const error = await client(key).chat.completions.create({ model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(403);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: 'model_not_allowed' });
    const models = (await (await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4o-mini']);
  });

  it('stipend keys create --service prints a key that works; the CLI is audited', async () => {
    let stdout = '';
    const env = { STIPEND_DATABASE_URL: h.database.url };
    const code = await runCli({ version: '0', root: STIPEND as GroupCommand }, ['keys', 'create', '--service', BOT, '--name', 'cron'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env,
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    const cliKey = stdout.trim();
    expect(cliKey).toMatch(/^sk-stipend-/);
    await h.gateway.policy.reload();
    expect((await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${cliKey}` } })).status).toBe(200);
    const audit = await h.database.handle.db.selectFrom('audit_log').selectAll().where('target', '=', `service:${BOT}`).execute();
    expect(audit.map((a) => [a.actor_kind, a.action])).toEqual([['cli', 'key.create']]);
    expect(audit[0]!.actor).toMatch(/^cli:/);
  });

  it('stop working on every replica when the account is removed from the YAML (its keys are revoked)', async () => {
    await applyTeam(h.database.handle.db, { ...supportTeam, spec: { ...supportTeam.spec, serviceAccounts: [] } });
    expect(await untilRefused(key, 20_000)).toBeGreaterThanOrEqual(0); // generous: the latency is measured by bench/leaver-to-401.ts
    const active = await h.database.handle.db.selectFrom('api_keys').select('id').where('service_account_id', 'is not', null).where('revoked_at', 'is', null).execute();
    expect(active).toEqual([]);
    // Declared again, the name does not bring the old keys back.
    await applyTeam(h.database.handle.db, supportTeam);
    await h.gateway.policy.reload();
    expect((await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });
});
