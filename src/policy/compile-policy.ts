import { buildIndex } from './build-index.ts';
import type { CompiledPolicy } from './person-policy.ts';
import type { PolicySnapshot } from './policy-snapshot.repository.ts';
import { noSlicing, runToEnd } from './slicer.ts';

export type { CompiledPolicy, PersonBudget, PersonPolicy } from './person-policy.ts';
export { matchesTarget } from './match-target.ts';

/**
 * Pure: snapshot rows in, per-person compiled policy out, at once (reports, alerts). The
 * gateway keeps its policy current incrementally instead (live-policy.ts), from the same index.
 */
export function compilePolicy(snapshot: PolicySnapshot): CompiledPolicy {
  return runToEnd(buildIndex(snapshot, noSlicing)).published.compiled;
}
