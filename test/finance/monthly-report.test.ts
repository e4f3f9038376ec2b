// The monthly report: a closed month's summary, emailed (HTML, chart image, the close's stored
// files) and posted to a webhook, and sent exactly once however often the job runs. It closes
// the month first when the grace has passed, and refuses before.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpSender, createWebhookSender } from '../../src/alerts/senders.ts';
import { syncResources } from '../../src/policy/apply-resources.ts';
import { loadResourceFolder } from '../../src/policy/load-resource-folder.ts';
import type { BudgetResource } from '../../src/policy/resource.schema.ts';
import { connectPostgres } from '../../src/db/connect-postgres.ts';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { chainHead } from '../../src/ledger/chain-head.ts';
import { parseCsv } from '../../src/reports/csv.ts';
import { readCloseFile } from '../../src/reports/books/period-closes.repository.ts';
import { DEFAULT_EXPORT_CONFIG } from '../../src/reports/exports/export-config.schema.ts';
import { loadGlMapping } from '../../src/reports/gl-mapping/load-gl-mapping.ts';
import { CloseRefusedError } from '../../src/reports/monthly/close-month.ts';
import { financeDb } from '../../src/reports/finance-tables.ts';
import { runMonthlyReport } from '../../src/reports/monthly/run-monthly-report.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { charge } from './support/charge.ts';
import { startSmtp, startWebhook } from './support/receivers.ts';

const usd = (dollars: number) => BigInt(dollars) * 1_000_000_000n;
const MARCH = new Date('2026-03-15T15:00:00Z');
const FEBRUARY = new Date('2026-02-10T15:00:00Z');
const exportConfig = { ...DEFAULT_EXPORT_CONFIG, mapping: loadGlMapping(new URL('./fixtures/gl-mapping.yaml', import.meta.url).pathname) };
const AFTER_GRACE = new Date('2026-04-02T00:00:00Z');
let t: TestDatabase;
let runtime: DbHandle; // what the monthly CronJob connects as

beforeAll(async () => {
  t = await createTestDatabase();
  const resources = await loadResourceFolder(new URL('../../examples', import.meta.url).pathname);
  // Design's budget is soft here, so one team can end the month over budget.
  const design = resources.find((r) => r.kind === 'Budget' && r.metadata.name === 'design') as BudgetResource;
  design.spec.enforcement = 'Soft';
  await syncResources(t.handle.db, resources);
  runtime = connectPostgres({ connectionString: t.runtimeUrl, maxConnections: 4 });
  const db = t.handle.db;
  await charge(db, 'ada@acme.example', ['acme/eng-principal'], usd(1000), { at: FEBRUARY, team: 'acme/engineering' });
  await charge(db, 'ada@acme.example', ['acme/eng-principal'], usd(2950), { at: MARCH, team: 'acme/engineering', provider: 'anthropic', model: 'claude-sonnet-4-5' });
  await charge(db, 'margaret@acme.example', ['acme/product'], usd(1400), { at: MARCH, team: 'acme/product' });
  await charge(db, 'dieter@acme.example', ['acme/design'], usd(900), { at: MARCH, team: 'acme/design' });
  await charge(db, 'sam@acme.example', ['acme/support', 'acme/support-team-cap'], usd(200), { at: MARCH, team: 'acme/support' });
});
afterAll(async () => {
  await runtime?.close();
  await t?.drop();
});

describe('stipend report monthly', () => {
  it('summarizes the month, delivers by email and webhook, and re-runs send nothing twice', async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook(1); // the webhook refuses once
    try {
      const deps = {
        db: runtime.db,
        senders: { email: createSmtpSender(smtp.url, 'Stipend <reports@acme.example>'), webhook: createWebhookSender(2000), webhookUrl: hook.url },
        retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 200, leaseMs: 5000 },
      };
      const options = { month: '2026-03', exportConfig, emailTo: ['finance@acme.example', 'cfo@acme.example'], exportFormats: ['netsuite', 'focus'] as const, now: AFTER_GRACE };

      // Only a closed month is sent; March may close on April 2 (end + 1 day of grace).
      const early = await runMonthlyReport(deps, { ...options, now: new Date('2026-04-01T23:59:59Z') }).catch((e: unknown) => e);
      expect(early).toBeInstanceOf(CloseRefusedError);
      expect(smtp.mails).toHaveLength(0);

      const first = await runMonthlyReport(deps, options);
      expect(first.created).toBe(true);
      expect(first.result).toMatchObject({ sent: 2, retrying: 1 });
      const s = first.summary;
      expect(s.spentNanos).toBe(usd(5450));
      expect(s.overage).toEqual({ hardNanos: 0n, softNanos: usd(100) });
      expect(s.activeEmployees).toBe(4);
      expect(s.previous).toEqual({ month: '2026-02', spentNanos: usd(1000), changePercent: 445 });
      // The report carries the chain head it covers (5 ledger rows so far).
      const head = await chainHead(t.handle.db);
      expect(s.chain).toEqual(head);
      expect(head.seq).toBe(5n);
      const teams = Object.fromEntries(s.teams.map((x) => [x.team, `${x.spentNanos / 1_000_000_000n}/${x.budgetNanos / 1_000_000_000n} ${x.percent}% ${x.status}`]));
      expect(teams).toEqual({
        'acme/engineering': '2950/6200 47.5% On track',
        'acme/product': '1400/1500 93.3% Near limit',
        'acme/design': '900/800 112.5% Over',
        'acme/support': '200/200 100% Near limit',
      });

      await new Promise((r) => setTimeout(r, 80));
      const second = await runMonthlyReport(deps, options);
      expect(second.created).toBe(false);
      expect(second.result).toMatchObject({ sent: 1, retrying: 0 }); // only the webhook's retry
      const third = await runMonthlyReport(deps, options);
      expect(third.result).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0 });

      expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(['cfo@acme.example', 'finance@acme.example']);
      expect(hook.bodies).toHaveLength(1);
      expect((hook.bodies[0] as { text: string }).text).toContain('AI spend report — March 2026: $5,450.00 spent');

      const mail = smtp.mails[0]!.parsed;
      expect(mail.subject).toBe('AI spend report — March 2026');
      expect(smtp.mails[0]!.raw).toContain('cid:spend-chart'); // mailparser inlines it as a data: URL in .html
      expect(mail.text).toContain('Design: $900.00 of $800.00 (112.5%) — Over');
      expect(mail.text).toContain('Overage on hard budgets: $0.00');
      expect(mail.text).toContain(`Ledger: 5 rows when this report was made, chain head SHA-256 ${head.hash}`);
      const files = Object.fromEntries(mail.attachments.map((a) => [a.filename, a]));
      expect(Object.keys(files).sort()).toEqual(['spend-chart.png', 'stipend-2026-03-focus.csv', 'stipend-2026-03-netsuite.csv', 'stipend-2026-03-teams.csv']);
      expect(files['spend-chart.png']!.contentType).toBe('image/png');
      expect(files['spend-chart.png']!.content.subarray(1, 4).toString()).toBe('PNG');
      // The attachments are the close's stored files, byte for byte, and the summary matches them.
      for (const name of ['netsuite.csv', 'focus.csv']) {
        expect(files[`stipend-2026-03-${name}`]!.content.equals((await readCloseFile(t.handle.db, '2026-03', name))!.content)).toBe(true);
      }
      const netsuite = parseCsv(files['stipend-2026-03-netsuite.csv']!.content.toString());
      expect(netsuite.slice(1).reduce((sum, r) => sum + Math.round(Number(r[5] || 0) * 100), 0)).toBe(545000);
      expect(s.spentCents).toBe(545000n);
      const teamCsv = parseCsv(files['stipend-2026-03-teams.csv']!.content.toString());
      expect(teamCsv.at(-1)!.slice(0, 6)).toEqual(['2026-03', 'TOTAL', '', '', '5450.00', '8700.00']);

      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync('test-artifacts/monthly-report.html', mail.html || '');
      writeFileSync('test-artifacts/monthly-report-chart.png', files['spend-chart.png']!.content);

      const stored = await financeDb(t.handle.db).selectFrom('monthly_report_deliveries').select(['channel', 'status', 'attempts']).orderBy('id').execute();
      expect(stored.map((d) => `${d.channel}:${d.status}:${d.attempts}`)).toEqual(['email:sent:1', 'email:sent:1', 'webhook:sent:2']);
    } finally {
      await smtp.close();
      await hook.close();
    }
  });

  it('keeps the closed snapshot: later ledger rows do not change what was sent', async () => {
    await charge(t.handle.db, 'alan@acme.example', ['acme/eng-mid'], usd(10), { at: MARCH, team: 'acme/engineering' });
    const again = await runMonthlyReport(
      { db: t.handle.db, senders: {}, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, leaseMs: 1000 } },
      { month: '2026-03', exportConfig, emailTo: [], exportFormats: [], now: AFTER_GRACE },
    );
    expect(again.created).toBe(false);
    expect(again.summary.spentNanos).toBe(usd(5450));
    expect(again.summary.chain?.seq).toBe(5n); // the stored snapshot's head, read back from JSON
  });
});
