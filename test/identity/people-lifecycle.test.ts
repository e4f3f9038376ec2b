// Joiner, mover, leaver through SCIM, seen by the official OpenAI SDK at the gateway:
// a joiner's first request is in the right tier; a mover's next request is booked to the
// new team, cost center and tier while the rows already written stay as they were; a
// person with a model but no budget gets 402 "no budget"; a leaver gets 401.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/keys/api-key.ts';
import { createApiKey } from '../../src/keys/api-keys.repository.ts';
import { verifyLedger } from '../../src/ledger/audit.ts';
import { loadResourceFolder, parseResources } from '../../src/policy/load-resource-folder.ts';
import { startHarness, type Harness } from '../support/gateway-harness.ts';
import { waitForLedgerRow } from '../support/ledger-queries.ts';
import { ENTERPRISE, patchOp, scimApp, STIPEND, USER, type ScimApp } from './support/scim-app.ts';

const CONTRACTORS = parseResources(
  `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: contractors, namespace: acme }
spec:
  costCenter: CC-CON-001
  memberSelector: { employeeType: Contractor }
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: contractors, namespace: acme }
spec:
  target: { teams: [contractors] }
  allow: ["openai/gpt-4o-mini"]
`,
  'contractors.yaml',
);

let h: Harness;
let s: ScimApp;
const EMAIL = 'hedy@acme.example';
let userId = '';
let key = '';

beforeAll(async () => {
  const examples = await loadResourceFolder(new URL('../../examples', import.meta.url).pathname);
  h = await startHarness({ resources: [...examples, ...CONTRACTORS] });
  s = scimApp(h.database.handle.db);
});
afterAll(async () => {
  await s?.app.close();
  await h?.close();
});

const db = () => h.database.handle.db;
const client = () => new OpenAI({ apiKey: key, baseURL: `${h.url}/v1`, maxRetries: 0 });
const chat = (model = 'gpt-4o-mini') => client().chat.completions.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
const failure = async (model = 'gpt-4o-mini') => {
  const error = await chat(model).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
};
/** The gateway reloads on NOTIFY; wait (bounded) until its compiled policy shows the change. */
const until = async (what: string, condition: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gateway policy never showed: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const compiled = () => h.gateway.policy.current().byKeyHash.get(hashApiKey(key));
const budgetsOfRow = async (walletIds: readonly bigint[]) =>
  (
    await db()
      .selectFrom('wallets')
      .innerJoin('budgets', 'budgets.id', 'wallets.budget_id')
      .select('budgets.name')
      .where('wallets.id', 'in', [...walletIds])
      .orderBy('budgets.name')
      .execute()
  ).map((r) => r.name);

describe('joiner → mover → leaver', () => {
  let firstRow: Awaited<ReturnType<typeof waitForLedgerRow>>;

  it('joiner: provisioned into Engineering at level 6, the first request is in the principal tier', async () => {
    const r = await s.request('POST', '/Users', {
      schemas: [USER, ENTERPRISE, STIPEND],
      userName: EMAIL,
      emails: [{ value: EMAIL, type: 'work', primary: true }],
      title: 'Staff Engineer',
      [ENTERPRISE]: { department: 'Engineering' },
      [STIPEND]: { jobLevel: 6 },
    });
    expect(r.statusCode).toBe(201);
    userId = r.json().id;
    key = (await createApiKey(db(), EMAIL)).key;
    await until('the joiner\'s key', () => compiled() !== undefined);
    const { data, response } = await chat('gemini-2.5-flash'); // principal tier: all providers
    expect(data.choices[0]?.message.content).toBeTruthy();
    firstRow = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    expect(firstRow).toMatchObject({ email: EMAIL, team: 'acme/engineering', cost_center: 'CC-ENG-001', provider: 'google', http_status: 200 });
    expect(await budgetsOfRow(firstRow.wallet_ids)).toEqual(['eng-principal']);
  });

  it('mover (level 6 → 4): the next request is in the senior tier; Google is no longer allowed', async () => {
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: `${STIPEND}:jobLevel`, value: 4 }));
    await until('level 4', () => compiled()?.jobLevel === 4);
    expect((await failure('gemini-2.5-flash')).status).toBe(403);
    const { response } = await chat();
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ team: 'acme/engineering', cost_center: 'CC-ENG-001' });
    expect(await budgetsOfRow(row.wallet_ids)).toEqual(['eng-senior']);
  });

  it('mover (Engineering → Product): the next request is booked to Product; rows already written keep their team', async () => {
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Product' }));
    await until('team product', () => compiled()?.team?.key === 'acme/product');
    const { response } = await chat();
    const row = await waitForLedgerRow(db(), response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ email: EMAIL, team: 'acme/product', cost_center: 'CC-PROD-001' });
    expect(await budgetsOfRow(row.wallet_ids)).toEqual(['product']);
    const old = await waitForLedgerRow(db(), firstRow.request_id);
    expect(old).toEqual(firstRow);
    const rows = await db().selectFrom('usage_events').select(['team', 'cost_center']).where('email', '=', EMAIL).orderBy('seq').execute();
    expect(rows).toEqual([
      { team: 'acme/engineering', cost_center: 'CC-ENG-001' },
      { team: 'acme/engineering', cost_center: 'CC-ENG-001' },
      { team: 'acme/product', cost_center: 'CC-PROD-001' },
    ]);
    expect((await verifyLedger(db())).ok).toBe(true);
  });

  it('a contractor in a team with a model but no budget gets 402 "no budget"; outside every team and budget, 402 "no budget" too', async () => {
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', value: { userType: 'Contractor', [`${ENTERPRISE}:department`]: 'Legal' } }));
    await until('team contractors', () => compiled()?.team?.key === 'acme/contractors');
    const providerCalls = h.mock.calls.length;
    const noBudget = await failure();
    expect(noBudget.status).toBe(402);
    expect(noBudget.error).toMatchObject({ type: 'budget_exceeded', code: 'budget_exceeded', message: expect.stringContaining('No budget applies to you') });
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'remove', path: 'userType' }));
    await until('no team', () => compiled() !== undefined && compiled()?.team === null);
    const nothing = await failure();
    // No policy allows any model either, but what is missing is a budget: that is what they are told.
    expect(nothing.status).toBe(402);
    expect(nothing.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('No budget applies to you') });
    expect(h.mock.calls.length).toBe(providerCalls); // neither refusal reached the provider
  });

  it('leaver (active: false): 401 at once; back (active: true): the same key works again; DELETE: 401 for good, history kept', async () => {
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Engineering' }));
    await until('back in engineering', () => compiled()?.team?.key === 'acme/engineering');
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: 'active', value: false }));
    await until('key dropped', () => compiled() === undefined);
    expect((await failure()).status).toBe(401);
    await s.request('PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: 'active', value: true }));
    await until('key back', () => compiled() !== undefined);
    const { response: back } = await chat();
    expect(back.status).toBe(200);
    // Settlement is asynchronous: the row exists once it is booked, not when the reply arrives.
    await waitForLedgerRow(db(), back.headers.get('x-request-id')!);
    expect((await s.request('DELETE', `/Users/${userId}`)).statusCode).toBe(204);
    await until('key dropped', () => compiled() === undefined);
    expect((await failure()).status).toBe(401);
    const history = await db().selectFrom('usage_events').select('seq').where('email', '=', EMAIL).execute();
    expect(history.length).toBe(4);
    // Re-provisioned later, the person does not get the revoked key back.
    await s.request('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: EMAIL, [ENTERPRISE]: { department: 'Engineering' } });
    await h.gateway.policy.reload();
    expect(compiled()).toBeUndefined();
  });
});
