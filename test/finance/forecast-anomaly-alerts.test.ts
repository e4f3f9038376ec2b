// Forecast ("projected to exceed") and anomaly alerts on a generated month, evaluated at an
// injected clock; finance recipients (global and per budget) receive theirs over real SMTP;
// re-running the evaluation and the dispatch sends nothing twice.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRules } from '../../src/alerts/alert-rules.schema.ts';
import { dispatchAlerts } from '../../src/alerts/dispatch-alerts.ts';
import { evaluateAlerts } from '../../src/alerts/evaluate-alerts.ts';
import { createSmtpSender } from '../../src/alerts/senders.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import { DEFAULT_ANOMALY_RULE } from '../../src/reports/forecast.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';
import { startSmtp } from './support/receivers.ts';

const POLICY = `
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: eng, namespace: fc }
spec:
  displayName: Engineering
  owners: [eng-lead@fc.example]
  members:
    - { email: ada@fc.example, name: Ada Lovelace }
    - { email: bob@fc.example, name: Bob Builder }
    - { email: carol@fc.example, name: Carol Shaw }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: ops, namespace: fc }
spec:
  displayName: Operations
  owners: [ops-lead@fc.example]
  members:
    - { email: dan@fc.example, name: Dan Ops }
---
apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: sales, namespace: fc }
spec:
  displayName: Sales
  owners: [sales-lead@fc.example]
  members:
    - { email: eve@fc.example, name: Eve Seller }
    - { email: finn@fc.example, name: Finn Closer }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: sales-personal, namespace: fc }
spec:
  target: { teams: [sales] }
  scope: PerMember
  amount: "100.00"
  period: Monthly
  enforcement: Soft
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: eng-personal, namespace: fc }
spec:
  target: { teams: [eng] }
  scope: PerMember
  amount: "400.00"
  period: Monthly
  alertRecipients: [controller@fc.example]
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: eng-cap, namespace: fc }
spec:
  target: { teams: [eng] }
  scope: Shared
  amount: "1000.00"
  period: Monthly
  enforcement: Soft
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: ops-soft, namespace: fc }
spec:
  target: { teams: [ops] }
  scope: PerMember
  amount: "100.00"
  period: Monthly
  enforcement: Soft
  alertThresholds: [100, 150]
`;
const ENG = ['fc/eng-personal', 'fc/eng-cap'];
const usd = (dollars: number) => BigInt(Math.round(dollars * 100)) * 10_000_000n;
const day = (d: number) => new Date(Date.UTC(2026, 2, d, 15));
const NOW = new Date('2026-03-16T18:00:00Z');
const RULES: AlertRules = { timeZone: 'UTC', financeRecipients: ['finance@fc.example'], forecastMinDays: 3, anomaly: DEFAULT_ANOMALY_RULE };
const retry = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100, leaseMs: 5000 };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.handle.db;
  await syncResources(db, parseResources(POLICY, 'fc.yaml'));
  // Ada: a steady $20 a day (on course to pass her $400). Bob: $5 a day, then $200 on the 16th.
  // Dan (soft $100, thresholds 100 and 150): $160 in one day. Carol never calls.
  // Eve and Finn (sales, $100 each, no shared cap): $6 a day each.
  for (let d = 1; d <= 16; d++) {
    await charge(db, 'eve@fc.example', ['fc/sales-personal'], usd(6), { at: day(d), team: 'fc/sales' });
    await charge(db, 'finn@fc.example', ['fc/sales-personal'], usd(6), { at: day(d), team: 'fc/sales' });
    await charge(db, 'ada@fc.example', ENG, usd(20), { at: day(d), team: 'fc/eng' });
    await charge(db, 'bob@fc.example', ENG, usd(d === 16 ? 200 : 5), { at: day(d), team: 'fc/eng' });
  }
  await charge(db, 'dan@fc.example', ['fc/ops-soft'], usd(160), { at: day(16), team: 'fc/ops' });
});
afterAll(async () => t?.drop());

async function alerts() {
  const { rows } = await sql<{ id: bigint; kind: string; threshold: number | null; details: Record<string, unknown>; budget: string | null; email: string | null; team: string | null }>`
    select a.id, a.kind, a.threshold, a.details, b.name as budget, p.email, t.name as team
      from budget_alerts a
      left join budgets b on b.id = a.budget_id
      left join people p on a.owner = 'person:' || p.id
      left join teams t on a.owner = 'team:' || t.id
     order by a.id`.execute(t.handle.db);
  return rows.map((r) => ({ ...r, label: `${r.kind}${r.threshold ? `:${r.threshold}` : ''}:${r.budget ?? '-'}:${r.email ?? r.team ?? 'shared'}` }));
}

describe('forecast and anomaly alerts', () => {
  it('thresholds above 100 fire on a soft budget', async () => {
    const labels = (await alerts()).map((a) => a.label);
    expect(labels).toEqual(expect.arrayContaining(['threshold:100:ops-soft:dan@fc.example', 'threshold:150:ops-soft:dan@fc.example', 'threshold:80:eng-personal:ada@fc.example']));
  });

  it('finds who is projected to exceed and whose day is unusual, at the injected clock, once', async () => {
    const before = new Set((await alerts()).map((a) => a.id));
    const first = await evaluateAlerts(t.handle.db, NOW, RULES);
    const added = (await alerts()).filter((a) => !before.has(a.id));
    expect(added.map((a) => a.label).sort()).toEqual([
      'anomaly:-:bob@fc.example', // $200 vs a $5 median
      'anomaly:-:eng', // the team's $220 vs its $25 median
      'forecast:-:sales', // team without a shared cap: $192 + $12 × 15.25 days = $375 > $200 (the members' allowances)
      'forecast:eng-cap:shared', // the team's shared cap: $595 so far, $52.86 a day → $1,401.07 > $1,000
      'forecast:eng-personal:ada@fc.example', // $320 + $20 × 15.25 days = $625 > $400
      'forecast:eng-personal:bob@fc.example',
      'forecast:sales-personal:eve@fc.example',
      'forecast:sales-personal:finn@fc.example',
    ]);
    expect(first).toMatchObject({ forecast: 6, anomaly: 2 });
    // Not Dan: already past his soft budget (the thresholds told), one day of history (no baseline).
    const ada = added.find((a) => a.label === 'forecast:eng-personal:ada@fc.example')!;
    expect(ada.details).toMatchObject({ projectedNanos: String(usd(320 + 20 * 15.25)), dailyRateNanos: String(usd(20)), runsOutAt: '2026-03-20T18:00:00.000Z' });
    const team = added.find((a) => a.label === 'forecast:-:sales')!;
    expect(team.details).toMatchObject({ binding: 'PerMember', projectedNanos: String(usd(375)) });
    const bob = added.find((a) => a.label === 'anomaly:-:bob@fc.example')!;
    expect(bob.details).toMatchObject({ day: '2026-03-16', medianNanos: String(usd(5)), partialDay: 1 });

    // Re-runs (later the same day, or the next day) add nothing.
    expect(await evaluateAlerts(t.handle.db, NOW, RULES)).toMatchObject({ forecast: 0, anomaly: 0 });
    expect(await evaluateAlerts(t.handle.db, new Date('2026-03-17T09:00:00Z'), RULES)).toMatchObject({ forecast: 0, anomaly: 0 });
  });

  it('early in the month nothing is projected (under 3 days) and nothing is unusual (no 7-day baseline)', async () => {
    const before = (await alerts()).length;
    expect(await evaluateAlerts(t.handle.db, new Date('2026-03-02T18:00:00Z'), { ...RULES, financeRecipients: [] })).toMatchObject({ forecast: 0, anomaly: 0 });
    expect(await alerts()).toHaveLength(before);
  });

  it('opens every allowance’s wallet, so a month’s budgets include people who never called', async () => {
    const { rows: carol } = await sql<{ limit_nanos: bigint; spent_nanos: bigint; period_start: Date }>`
      select w.limit_nanos, w.spent_nanos, w.period_start from wallets w join people p on w.owner = 'person:' || p.id
       where p.email = 'carol@fc.example'`.execute(t.handle.db);
    expect(carol).toEqual([{ limit_nanos: usd(400), spent_nanos: 0n, period_start: new Date('2026-03-01T00:00:00Z') }]);
  });

  it('finance (global and per budget) receive theirs over SMTP; the messages name whose budget; a re-run sends nothing', async () => {
    const smtp = await startSmtp();
    try {
      const deps = { db: t.handle.db, senders: { email: createSmtpSender(smtp.url, 'Stipend <alerts@fc.example>') }, retry };
      const result = await dispatchAlerts(deps, { financeRecipients: RULES.financeRecipients });
      expect(result.failed + result.retrying).toBe(0);
      const to = (who: string) => smtp.mails.filter((m) => m.to.includes(who)).map((m) => m.parsed.subject!).sort();
      expect(to('finance@fc.example')).toEqual([
        '[Stipend] Ada Lovelace: projected $625.00 against $400.00 (fc/eng-personal)',
        '[Stipend] Bob Builder: projected $776.07 against $400.00 (fc/eng-personal)',
        '[Stipend] Dan Ops: 100% of fc/ops-soft used',
        '[Stipend] Dan Ops: 150% of fc/ops-soft used',
        '[Stipend] Eve Seller: projected $187.50 against $100.00 (fc/sales-personal)',
        '[Stipend] Finn Closer: projected $187.50 against $100.00 (fc/sales-personal)',
        '[Stipend] Team Engineering: projected $1,401.07 against $1,000.00 (fc/eng-cap)',
        '[Stipend] Team Sales: projected $375.00 against $200.00 (fc/sales)',
        '[Stipend] Unusual spend: Bob Builder spent $200.00 on 2026-03-16',
        '[Stipend] Unusual spend: Team Engineering spent $220.00 on 2026-03-16',
      ]);
      // The budget's own recipients get every alert of that budget, thresholds included.
      expect(to('controller@fc.example')).toEqual([
        '[Stipend] Ada Lovelace: 80% of fc/eng-personal used',
        '[Stipend] Ada Lovelace: projected $625.00 against $400.00 (fc/eng-personal)',
        '[Stipend] Bob Builder: projected $776.07 against $400.00 (fc/eng-personal)',
      ]);
      expect(to('eng-lead@fc.example')).toEqual([
        '[Stipend] Team Engineering: projected $1,401.07 against $1,000.00 (fc/eng-cap)',
        '[Stipend] Unusual spend: Team Engineering spent $220.00 on 2026-03-16',
      ]);
      expect(to('sales-lead@fc.example')).toEqual(['[Stipend] Team Sales: projected $375.00 against $200.00 (fc/sales)']);
      const capMail = smtp.mails.find((m) => m.parsed.subject === '[Stipend] Team Engineering: projected $1,401.07 against $1,000.00 (fc/eng-cap)')!;
      expect(capMail.parsed.text).toContain('At the pace of the last 7 days ($52.86 a day), team Engineering is projected to spend $1,401.07 by the end of 2026-03-01 – 2026-03-31 (UTC), above the shared monthly soft budget "fc/eng-cap" of $1,000.00.');
      const teamMail = smtp.mails.find((m) => m.parsed.subject === '[Stipend] Team Sales: projected $375.00 against $200.00 (fc/sales)')!;
      expect(teamMail.parsed.text).toContain('team Sales is projected to spend $375.00');
      expect(teamMail.parsed.text).toContain('the sum of its members’ allowances');
      const anomaly = smtp.mails.find((m) => m.parsed.subject?.startsWith('[Stipend] Unusual spend: Bob'))!;
      expect(anomaly.parsed.text).toContain('Bob Builder (bob@fc.example) spent $200.00 on 2026-03-16 (so far), 40.0× the median day of the previous 14 days ($5.00)');
      expect(smtp.mails.map((m) => m.parsed.text ?? '').join('\n')).not.toMatch(/\byour\b/i);

      const count = smtp.mails.length;
      expect(await evaluateAlerts(t.handle.db, NOW, RULES)).toMatchObject({ forecast: 0, anomaly: 0 });
      expect(await dispatchAlerts(deps, { financeRecipients: RULES.financeRecipients })).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0 });
      expect(smtp.mails).toHaveLength(count);
    } finally {
      await smtp.close();
    }
  });
});
