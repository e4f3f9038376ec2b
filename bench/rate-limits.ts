// The cost of cluster-wide rate limits (counted in Postgres, in the reservation's round trip)
// per request: the same gateway, people with limits next to people without, interleaved.
// The limits are set far above the load, so nothing is refused: what is measured is the
// counting itself (stipend_reserve_rated instead of stipend_reserve_many, and the token
// trigger on the ledger rows).
import { parseResources } from '../src/policy/load-resource-folder.ts';
import type { StipendResource } from '../src/policy/resource.schema.ts';
import { closedLoop, once, percentile, type Target } from './load.ts';

/** `size` people in team "rated", the same budgets as the swarm, and per-minute limits nobody reaches. */
export function ratedPolicy(size: number): StipendResource[] {
  const members = Array.from({ length: size }, (_, i) => `    - { email: rated${i}@swarm.example, jobLevel: 3 }`).join('\n');
  return parseResources(
    `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: rated, namespace: load }
spec:
  costCenter: CC-LOAD-002
  owners: [owner@swarm.example]
  members:
${members}
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: rated-shared, namespace: load }
spec: { target: { teams: [rated] }, scope: Shared, amount: "1000000.00", period: Daily }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: rated-personal, namespace: load }
spec: { target: { teams: [rated] }, scope: PerMember, amount: "1000000.00", period: Monthly }
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: rated-models, namespace: load }
spec:
  target: { teams: [rated] }
  allow: ["openai/gpt-4o-mini"]
  rateLimits: { requestsPerMinute: 100000000, tokensPerMinute: 2000000000 }
`,
    'rated.yaml',
  );
}

export interface RateLimitFigures {
  readonly p50: { readonly unlimited: number; readonly rated: number };
  readonly p99: { readonly unlimited: number; readonly rated: number };
  readonly rps: { readonly unlimited: number; readonly rated: number };
  readonly onePersonRps: { readonly unlimited: number; readonly rated: number };
  readonly errors: number;
}

export async function benchRateLimits(
  targets: { readonly unlimited: Target; readonly rated: Target; readonly oneUnlimited: Target; readonly oneRated: Target },
  body: string,
  samples: number,
  ms: number,
): Promise<RateLimitFigures> {
  const lat = { unlimited: [] as number[], rated: [] as number[] };
  for (let i = 0; i < samples; i++) {
    lat.unlimited.push((await once(targets.unlimited, body)).ms);
    lat.rated.push((await once(targets.rated, body)).ms);
  }
  // Closed loops, alternated twice so that drift hits both alike.
  const rps = { unlimited: 0, rated: 0 };
  const one = { unlimited: 0, rated: 0 };
  let errors = 0;
  for (let round = 0; round < 2; round++) {
    for (const [key, t] of [['unlimited', targets.unlimited], ['rated', targets.rated]] as const) {
      const r = await closedLoop(t, body, 64, ms / 2);
      rps[key] += r.rps / 2;
      errors += r.errors;
    }
    // Everyone's requests from one person: their counter row is as hot as their wallet.
    for (const [key, t] of [['unlimited', targets.oneUnlimited], ['rated', targets.oneRated]] as const) {
      const r = await closedLoop(t, body, 64, ms / 2);
      one[key] += r.rps / 2;
      errors += r.errors;
    }
  }
  return {
    p50: { unlimited: percentile(lat.unlimited, 50), rated: percentile(lat.rated, 50) },
    p99: { unlimited: percentile(lat.unlimited, 99), rated: percentile(lat.rated, 99) },
    rps,
    onePersonRps: one,
    errors,
  };
}
