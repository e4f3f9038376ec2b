import { parseResources } from '../../src/policy/load-resource-folder.ts';
import type { StipendResource } from '../../src/policy/resource.schema.ts';

/** A team of `size` people sharing one small wallet, each with a roomy personal wallet. */
export function swarmPolicy(size: number, sharedAmount: string, personalAmount = '100.00'): StipendResource[] {
  const members = Array.from({ length: size }, (_, i) => `    - { email: user${i}@swarm.example, jobLevel: 3 }`).join('\n');
  return parseResources(
    `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: swarm, namespace: load }
spec:
  costCenter: CC-LOAD-001
  owners: [owner@swarm.example]
  members:
${members}
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: swarm-shared, namespace: load }
spec:
  target: { teams: [swarm] }
  scope: Shared
  amount: "${sharedAmount}"
  period: Daily
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: swarm-personal, namespace: load }
spec:
  target: { teams: [swarm] }
  scope: PerMember
  amount: "${personalAmount}"
  period: Monthly
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: swarm-models, namespace: load }
spec:
  target: { teams: [swarm] }
  allow: ["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5"]
`,
    'swarm.yaml',
  );
}
