import type { Db } from '../../../src/db/database.ts';
import { periodWindow } from '../../../src/ledger/period.ts';
import { reserveMany, type WalletClaim } from '../../../src/ledger/reserve.ts';
import { settleMany, type Settlement } from '../../../src/ledger/settle.ts';

let seq = 0;

/** The wallet claims the gateway would make for `email` on the named budgets, now. */
export async function claimsFor(db: Db, email: string, budgets: readonly string[], at = new Date()): Promise<{ personId: bigint; claims: WalletClaim[] }> {
  const person = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const claims: WalletClaim[] = [];
  for (const ref of budgets) {
    const [namespace, name] = ref.split('/') as [string, string];
    const b = await db.selectFrom('budgets').selectAll().where('namespace', '=', namespace).where('name', '=', name).executeTakeFirstOrThrow();
    const w = periodWindow(b.period, b.time_zone, at);
    claims.push({
      budgetId: b.id,
      owner: b.scope === 'Shared' ? 'shared' : `person:${person.id}`,
      periodStart: w.start,
      periodEnd: w.end,
      limitNanos: b.amount_nanos,
      hard: b.enforcement === 'Hard',
    });
  }
  return { personId: person.id, claims };
}

/** Reserves and settles one request of `costNanos` through the real ledger functions. */
export async function charge(
  db: Db,
  email: string,
  budgets: readonly string[],
  costNanos: bigint,
  options: { readonly at?: Date; readonly team?: string; readonly provider?: string; readonly model?: string; readonly platform?: string; readonly upstream?: string } = {},
): Promise<string> {
  const at = options.at ?? new Date();
  const { personId, claims } = await claimsFor(db, email, budgets, at);
  // The gateway books a request to the person's team and that team's cost center.
  const [ns, name] = (options.team ?? '/').split('/');
  const team = options.team
    ? await db.selectFrom('teams').select('cost_center').where('namespace', '=', ns!).where('name', '=', name!).executeTakeFirst()
    : undefined;
  const requestId = `req-${process.pid}-${++seq}-${Date.now()}`;
  const [r] = await reserveMany(db, [
    {
      requestId,
      claims,
      estimateNanos: costNanos,
      deadline: new Date(Date.now() + 60_000),
      context: {
        person_id: String(personId),
        email,
        team: options.team ?? null,
        cost_center: team?.cost_center ?? null,
        provider: options.provider ?? 'openai',
        model: options.model ?? 'gpt-4o-mini',
        endpoint: '/v1/chat/completions',
        stream: false,
        ...(options.platform ? { platform: options.platform } : {}),
        ...(options.upstream ? { upstream: options.upstream } : {}),
      },
    },
  ]);
  if (!r?.ok) throw new Error(`reservation refused for ${email}`);
  const s: Settlement = {
    requestId,
    costNanos,
    pricingStatus: 'priced',
    inputTokens: 10,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 10,
    reasoningTokens: 0,
    httpStatus: 200,
    latencyMs: 5,
    occurredAt: at,
  };
  await settleMany(db, [s]);
  return requestId;
}
