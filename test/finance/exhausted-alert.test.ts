// A hard wallet stops short of 100 % (the next worst case no longer fits), so its 100 %
// threshold never fires. The first refusal (HTTP 402 through the real gateway and the
// official OpenAI SDK) writes an "exhausted" alert in the reservation's own statement, once.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchAlerts } from '../../src/alerts/dispatch-alerts.ts';
import { createSmtpSender, createWebhookSender } from '../../src/delivery/senders.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { alertsDb } from '../../src/alerts/alert-tables.ts';
import { startHarness, type Harness } from '../support/gateway-harness.ts';
import { waitForNoReservations } from '../support/ledger-queries.ts';
import { startSmtp, startWebhook } from './support/receivers.ts';

const POLICY = parseResources(
  `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: research, namespace: lab }
spec:
  displayName: Research
  owners: [research-lead@lab.example]
  members:
    - { email: ada@lab.example, name: Ada Lovelace, jobLevel: 5 }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: research-personal, namespace: lab }
spec:
  target: { teams: [research] }
  scope: PerMember
  amount: "0.004"
  period: Monthly
  enforcement: Hard
  alertRecipients: [controller@lab.example]
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: research-models, namespace: lab }
spec:
  target: { teams: [research] }
  allow: ["openai/gpt-4o-mini"]
`,
  'lab.yaml',
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ resources: POLICY });
});
afterAll(async () => h?.close());

const ask = (client: OpenAI) =>
  client.chat.completions
    .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'hello mock:tokens=400' }] })
    .then(
      () => 200,
      (e: InstanceType<typeof OpenAI.APIError>) => e.status ?? 0,
    );

async function alertsOf(kind: string) {
  return alertsDb(h.database.handle.db).selectFrom('budget_alerts').selectAll().where('kind', '=', kind).execute();
}

describe('exhausted alert', () => {
  it('is written at the first 402 on a hard wallet, once, while the 100 % threshold never fires', async () => {
    const client = h.openai('ada@lab.example');
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(402); i++) {
      statuses.push(await ask(client));
      await waitForNoReservations(h.database.handle.db);
      if (!statuses.includes(402)) expect(await alertsOf('exhausted')).toHaveLength(0);
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe(402);

    const [wallet] = await h.database.handle.db.selectFrom('wallets').selectAll().execute();
    expect(wallet!.spent_nanos).toBeLessThan(wallet!.limit_nanos); // stopped short of 100 %
    expect(await alertsOf('threshold').then((a) => a.map((x) => x.threshold))).not.toContain(100);

    const exhausted = await alertsOf('exhausted');
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ wallet_id: wallet!.id, spent_nanos: wallet!.spent_nanos, limit_nanos: wallet!.limit_nanos, dedupe_key: `exhausted:${wallet!.id}` });
    const details = exhausted[0]!.details as { estimateNanos: string; remainingNanos: string };
    expect(BigInt(details.remainingNanos)).toBeLessThan(BigInt(details.estimateNanos));

    // More refusals in the same period: still one alert.
    const more = await Promise.all(Array.from({ length: 6 }, () => ask(client)));
    expect(more.every((s) => s === 402)).toBe(true);
    expect(await alertsOf('exhausted')).toHaveLength(1);

    const deliveries = await alertsDb(h.database.handle.db).selectFrom('alert_deliveries').select(['channel', 'recipient']).where('alert_id', '=', exhausted[0]!.id).execute();
    expect(deliveries.map((d) => `${d.channel}:${d.recipient}`).sort()).toEqual(['email:ada@lab.example', 'email:controller@lab.example', 'webhook:webhook']);
  });

  it('is delivered to the person, the budget’s and the global finance recipients, naming whose budget it is; a re-run sends nothing', async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook();
    try {
      const deps = {
        db: h.database.handle.db,
        senders: { email: createSmtpSender(smtp.url, 'Stipend <alerts@lab.example>'), webhook: createWebhookSender(15_000), webhookUrl: hook.url },
        retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100, leaseMs: 5000 },
      };
      const options = { financeRecipients: ['finance@lab.example'] };
      await dispatchAlerts(deps, options);
      const exhaustedMails = smtp.mails.filter((m) => m.parsed.subject?.includes('is exhausted'));
      expect(exhaustedMails.flatMap((m) => m.to).sort()).toEqual(['ada@lab.example', 'controller@lab.example', 'finance@lab.example']);
      const mail = exhaustedMails[0]!;
      expect(mail.parsed.subject).toBe('[Stipend] Ada Lovelace: lab/research-personal is exhausted — a request was refused');
      expect(mail.parsed.text).toMatch(/A request charged to Ada Lovelace \(ada@lab\.example\) was refused \(HTTP 402\): the personal monthly hard budget "lab\/research-personal" has \$0\.00 left of \$0\.00/);
      // Threshold alerts below 100 % are not finance's.
      expect(smtp.mails.filter((m) => m.to.includes('finance@lab.example')).map((m) => m.parsed.subject)).toEqual([mail.parsed.subject]);
      const posted = hook.bodies.map((b) => (b as { text: string }).text).find((t) => t.includes('exhausted'))!;
      expect(posted).toContain('Ada Lovelace (ada@lab.example)');
      expect(posted).not.toMatch(/\byour\b/i);

      const sent = smtp.mails.length;
      expect(await dispatchAlerts(deps, options)).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0 });
      expect(smtp.mails).toHaveLength(sent);
    } finally {
      await smtp.close();
      await hook.close();
    }
  });
});
