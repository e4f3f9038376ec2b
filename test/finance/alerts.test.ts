// Threshold alerts: written by the charge's own transaction, delivered by SMTP and webhook
// with retries and back-off, exactly once per recipient.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchAlerts, watchAlerts } from '../../src/alerts/dispatch-alerts.ts';
import { createSmtpSender, createWebhookSender } from '../../src/delivery/senders.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { alertsDb } from '../../src/alerts/alert-tables.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';
import { startSmtp, startWebhook } from './support/receivers.ts';

const POLICY = `
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: eng, namespace: fin }
spec:
  costCenter: CC-ENG-001
  owners: [eng-owner@fin.example, cto@fin.example]
  members:
    - { email: ada@fin.example, name: Ada Lovelace }
    - { email: bob@fin.example, name: Bob Builder }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: personal, namespace: fin }
spec:
  target: { teams: [eng] }
  scope: PerMember
  amount: "10.00"
  period: Monthly
  alertThresholds: [50, 80, 100]
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: team-cap, namespace: fin }
spec:
  target: { teams: [eng] }
  scope: Shared
  amount: "20.00"
  period: Monthly
  enforcement: Soft
  alertThresholds: [80]
`;
const BUDGETS = ['fin/personal', 'fin/team-cap'];
const usd = (dollars: number) => BigInt(Math.round(dollars * 100)) * 10_000_000n;
const retry = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 400, leaseMs: 5_000 };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await syncResources(t.handle.db, parseResources(POLICY, 'alerts.yaml'));
});
afterAll(async () => t?.drop());

async function alerts() {
  return alertsDb(t.handle.db)
    .selectFrom('budget_alerts')
    .innerJoin('budgets', 'budgets.id', 'budget_alerts.budget_id')
    .select(['budget_alerts.id', 'budgets.name', 'budget_alerts.owner', 'budget_alerts.threshold'])
    .orderBy('budget_alerts.id')
    .execute();
}
async function recipientsOf(alertId: bigint) {
  const rows = await alertsDb(t.handle.db).selectFrom('alert_deliveries').select(['channel', 'recipient']).where('alert_id', '=', alertId).execute();
  return rows.map((r) => `${r.channel}:${r.recipient}`).sort();
}

describe('threshold alerts', () => {
  it('are written with the charge that crosses a threshold, once per wallet and period', async () => {
    const db = t.handle.db;
    await charge(db, 'ada@fin.example', BUDGETS, usd(4)); // 40 %: nothing
    expect(await alerts()).toHaveLength(0);

    await charge(db, 'ada@fin.example', BUDGETS, usd(1)); // 50 %
    await charge(db, 'ada@fin.example', BUDGETS, usd(4)); // 90 %: crosses 80 (via stipend_settle_many)
    await charge(db, 'ada@fin.example', BUDGETS, usd(0.5)); // 95 %: nothing new
    await charge(db, 'ada@fin.example', BUDGETS, usd(0.5)); // 100 %
    const ada = await alerts();
    expect(ada.map((a) => `${a.name}:${a.threshold}`)).toEqual(['personal:50', 'personal:80', 'personal:100']);
    expect(await recipientsOf(ada[0]!.id)).toEqual(['email:ada@fin.example', 'webhook:webhook']);

    // Bob's 60 % crosses his own 50 % and brings the shared wallet to 16/20 = 80 %.
    await charge(db, 'bob@fin.example', BUDGETS, usd(6));
    const all = await alerts();
    expect(all.slice(3).map((a) => `${a.name}:${a.owner.startsWith('person:') ? 'person' : a.owner}:${a.threshold}`).sort()).toEqual([
      'personal:person:50',
      'team-cap:shared:80',
    ]);
    const shared = all.find((a) => a.name === 'team-cap')!;
    expect(await recipientsOf(shared.id)).toEqual(['email:cto@fin.example', 'email:eng-owner@fin.example', 'webhook:webhook']);

    // The shared wallet passing 80 % again (it never goes back) alerts nothing new.
    await charge(db, 'bob@fin.example', BUDGETS, usd(1));
    expect(await alerts()).toHaveLength(5);
  });

  it('a charge that rolls back leaves no alert behind', async () => {
    const before = (await alerts()).length;
    await expect(
      t.handle.db.transaction().execute(async (tx) => {
        await sql`update wallets set spent_nanos = limit_nanos where owner = 'shared'`.execute(tx);
        await sql`update wallets set spent_nanos = spent_nanos + 1 where owner like 'person:%'`.execute(tx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await alerts()).toHaveLength(before);
  });

  it('are delivered by SMTP and webhook; a failing webhook is retried with back-off; nothing is sent twice', async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook(2);
    try {
      // The outbox's clock, moved past each back-off instead of sleeping through it.
      let now = Date.now() + 1000;
      const deps = {
        db: t.handle.db,
        // The webhook's timeout is generous: a timed-out attempt on a loaded machine would add one to the counts below.
        senders: { email: createSmtpSender(smtp.url, 'Stipend <alerts@fin.example>'), webhook: createWebhookSender(15_000), webhookUrl: hook.url },
        retry,
        clock: () => new Date(now),
      };
      // Two dispatchers at once: skip-locked claims split the work, nobody sends a row twice.
      const [a, b] = await Promise.all([dispatchAlerts(deps), dispatchAlerts(deps)]);
      expect(a.sent + b.sent).toBeGreaterThanOrEqual(6); // every email; webhooks as their back-off allows
      expect((await dispatchAlerts(deps)).sent).toBe(0); // retries wait for their back-off
      for (let i = 0; i < 10 && hook.bodies.length < 5; i++) {
        now += retry.maxDelayMs;
        await dispatchAlerts(deps);
      }
      expect(hook.bodies).toHaveLength(5);
      expect(hook.attempts).toHaveLength(7); // two refusals, then one success per alert
      const webhookRows = await alertsDb(t.handle.db).selectFrom('alert_deliveries').select(['attempts', 'status']).where('channel', '=', 'webhook').execute();
      expect(webhookRows.reduce((n, r) => n + r.attempts, 0)).toBe(7);
      expect(webhookRows.some((r) => r.attempts > 1)).toBe(true);

      const again = await dispatchAlerts(deps);
      expect(again).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0 });
      const sentTo = smtp.mails.flatMap((m) => m.to).sort();
      expect(sentTo).toEqual(['ada@fin.example', 'ada@fin.example', 'ada@fin.example', 'bob@fin.example', 'cto@fin.example', 'eng-owner@fin.example']);
      const first = smtp.mails.find((m) => m.to[0] === 'ada@fin.example' && m.parsed.subject === '[Stipend] Ada Lovelace: 50% of fin/personal used')!;
      expect(first.parsed.text).toMatch(/Ada Lovelace \(ada@fin\.example\) has spent \$5\.00 of \$10\.00 \(50%\) of the personal monthly hard budget "fin\/personal"/);
      // A shared channel is told whose budget it is, never "your budget".
      const texts = hook.bodies.map((b) => (b as { text: string }).text);
      expect(texts.some((x) => x.includes('Ada Lovelace (ada@fin.example)'))).toBe(true);
      expect(texts.some((x) => x.includes('team eng') && x.includes('fin/team-cap'))).toBe(true);
      expect(texts.join('\n')).not.toMatch(/\byour\b/i);
      const rows = await alertsDb(t.handle.db).selectFrom('alert_deliveries').select(['status', 'attempts']).execute();
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await smtp.close();
      await hook.close();
    }
  });

  it('--watch delivers a new alert as soon as the trigger announces it', async () => {
    const smtp = await startSmtp();
    const deps = { db: t.handle.db, senders: { email: createSmtpSender(smtp.url, 'alerts@fin.example') }, retry };
    const watcher = await watchAlerts(t.handle, deps, 60_000);
    try {
      await charge(t.handle.db, 'bob@fin.example', BUDGETS, usd(1.5)); // bob: 7.5 → 85 %: crosses 80
      const until = Date.now() + 20_000; // generous for a loaded machine: the loop ends at the first mail
      while (smtp.mails.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      expect(smtp.mails.map((m) => m.to)).toEqual([['bob@fin.example']]);
    } finally {
      await watcher.stop();
      await smtp.close();
    }
  });
});
