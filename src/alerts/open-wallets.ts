import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { periodWindow } from '../ledger/period.ts';
import { compilePolicy } from '../policy/compile-policy.ts';
import { loadPolicySnapshot } from '../policy/policy-snapshot.repository.ts';

/**
 * Opens the current window's wallet of every allowance in today's policy (the gateway opens
 * them lazily, on a person's first request). The wallets of a month are then the budgets in
 * force that month, people who never called included: the dashboard's budget vs actual.
 * Only wallets nobody has used yet are brought to today's limit; a used wallet's limit is the
 * reservation's to set (it never locks a wallet that requests are using).
 */
export async function openPeriodWallets(db: Db, now: Date): Promise<number> {
  const policy = compilePolicy(await loadPolicySnapshot(db));
  const claims = new Map<string, { budgetId: bigint; owner: string; start: Date; end: Date; limit: bigint; hard: boolean }>();
  for (const person of policy.byEmail.values()) {
    for (const b of person.budgets) {
      const w = periodWindow(b.period, b.timeZone, now);
      claims.set(`${b.budgetId}|${b.owner}`, { budgetId: b.budgetId, owner: b.owner, start: w.start, end: w.end, limit: b.limitNanos, hard: b.hard });
    }
  }
  if (claims.size === 0) return 0;
  const c = [...claims.values()];
  const arrays = sql`${c.map((x) => String(x.budgetId))}::bigint[], ${c.map((x) => x.owner)}::text[],
    ${c.map((x) => x.start.toISOString())}::timestamptz[], ${c.map((x) => x.end.toISOString())}::timestamptz[],
    ${c.map((x) => String(x.limit))}::bigint[], ${c.map((x) => x.hard)}::boolean[]`;
  const opened = await sql`insert into wallets (budget_id, owner, period_start, period_end, limit_nanos, hard)
    select * from unnest(${arrays}) on conflict (budget_id, owner, period_start) do nothing`.execute(db);
  // ON CONFLICT DO UPDATE would lock every wallet, hot ones included: update only untouched ones.
  await sql`update wallets w set limit_nanos = x.lim, hard = x.hard
      from unnest(${arrays}) as x(budget_id, owner, period_start, period_end, lim, hard)
     where w.budget_id = x.budget_id and w.owner = x.owner and w.period_start = x.period_start
       and w.spent_nanos = 0 and w.reserved_nanos = 0 and (w.limit_nanos, w.hard) is distinct from (x.lim, x.hard)`.execute(db);
  return Number(opened.numAffectedRows ?? 0n);
}
