// kubectl apply → operator → Postgres → gateway: how long until a changed Budget is enforced.
// Needs the test API server (bash test/k8s/start-apiserver.sh; source test/k8s/env.sh).
// test/operator/operator.test.ts checks that a change IS enforced; the time is measured here.
import { connectPostgres } from '../src/db/connect-postgres.ts';
import { createApiKey } from '../src/keys/api-keys.repository.ts';
import { createKubeApi } from '../src/operator/kube-api.ts';
import { runOperator } from '../src/operator/operator.ts';
import { startHarness } from '../test/support/gateway-harness.ts';
import { createTestDatabase } from '../test/support/test-database.ts';
import { examplesIn, installCrds, kubeconfig, kubectl, uniqueNamespace, until } from '../test/operator/kube-helpers.ts';
import { percentile } from './load.ts';
import pino from 'pino';

export interface ApplyToEnforced {
  readonly runs: number;
  /** ms from starting `kubectl apply` to the first gateway answer that reflects it. */
  readonly tighten: readonly number[];
  readonly loosen: readonly number[];
}

/** True when an API server answers for the current KUBECONFIG. */
export async function apiServerReachable(): Promise<boolean> {
  if (!process.env.KUBECONFIG) return false;
  return kubectl(['get', '--raw', '/readyz']).then(
    () => true,
    () => false,
  );
}

export async function benchApplyToEnforced(runs: number): Promise<ApplyToEnforced> {
  const ns = uniqueNamespace('bench');
  const database = await createTestDatabase();
  await installCrds();
  await kubectl(['create', 'namespace', ns]);
  const runtime = connectPostgres({ connectionString: database.runtimeUrl, maxConnections: 5 });
  const operator = runOperator(createKubeApi(kubeconfig()), runtime.db, pino({ level: 'silent' }), { namespaces: [ns] });
  const gateway = await startHarness({ database });
  try {
    await kubectl(['apply', '-f', '-'], examplesIn(ns));
    const sam = await until('sam exists', async () => (await database.handle.db.selectFrom('people').select('email').where('email', '=', 'sam@acme.example').executeTakeFirst()) ?? null, 60_000);
    const { key } = await createApiKey(database.handle.db, sam.email);
    await gateway.gateway.policy.reload();
    const ask = async () => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.arrayBuffer();
      return response.status;
    };
    await until('the example policy serves Sam', async () => (await ask()) === 200, 60_000);
    const cap = (amount: string) => examplesIn(ns).split('---').find((d) => d.includes('name: support-team-cap'))!.replace('"1000.00"', `"${amount}"`);
    const timed = async (amount: string, status: number) => {
      const started = performance.now();
      await kubectl(['apply', '-f', '-'], cap(amount));
      await until(`cap ${amount} → ${status}`, async () => (await ask()) === status, 60_000, 10);
      return performance.now() - started;
    };
    const tighten: number[] = [];
    const loosen: number[] = [];
    for (let i = 0; i < runs; i++) {
      tighten.push(await timed('0.000001', 402));
      loosen.push(await timed('1000.00', 200));
    }
    return { runs, tighten, loosen };
  } finally {
    await gateway.close();
    await operator.stop();
    await runtime.close();
    await kubectl(['delete', 'namespace', ns, '--wait=false']).catch(() => undefined);
    await database.drop();
  }
}

export function applyToEnforcedReport(r: ApplyToEnforced): string[] {
  const line = (label: string, xs: readonly number[]) =>
    `  ${label}: p50 ${Math.round(percentile([...xs], 50))} ms, max ${Math.round(Math.max(...xs))} ms over ${xs.length} applies (target: under 2,000 ms)`;
  return ['kubectl apply → enforced by the gateway (operator, Postgres NOTIFY, policy reload):', line('budget cap lowered (next request 402)', r.tighten), line('budget cap raised (next request 200)', r.loosen)];
}

if (import.meta.main) {
  if (!(await apiServerReachable())) {
    process.stderr.write('no API server: bash test/k8s/start-apiserver.sh && source test/k8s/env.sh\n');
    process.exit(2);
  }
  process.stdout.write(applyToEnforcedReport(await benchApplyToEnforced(Number(process.argv[2] ?? 5))).join('\n') + '\n');
}
