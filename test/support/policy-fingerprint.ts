import type { CompiledPolicy, PersonPolicy } from '../../src/policy/person-policy.ts';

/** Models to ask every person's `isAllowed` about: a compiled allowlist is a function, compared by its answers. */
export const PROBE_MODELS: readonly string[] = [
  'openai/gpt-4o',
  'openai/gpt-4o-mini',
  'openai/o1-pro',
  'openai/o3',
  'anthropic/claude-sonnet-4-5',
  'anthropic/claude-haiku-4-5',
  'anthropic/claude-opus-4-1',
  'google/gemini-2.5-pro',
  'google/gemini-2.5-flash',
];

/** A plain, comparable picture of a compiled policy: every person as requests see them, and every key. */
export function fingerprint(policy: CompiledPolicy, probes: readonly string[] = PROBE_MODELS) {
  const describe = (p: PersonPolicy) => ({
    personId: p.personId,
    email: p.email,
    name: p.name,
    jobLevel: p.jobLevel,
    team: p.team ? { ...p.team } : null,
    budgets: p.budgets.map((b) => ({ ...b })),
    rateLimits: { ...p.rateLimits },
    allowed: probes.filter((m) => p.isAllowed(m)),
    ...(p.serviceAccount ? { serviceAccount: { ...p.serviceAccount } } : {}),
  });
  const people = [...policy.byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : 1)).map(describe);
  // A person's key is described by whom it resolves to; a service key (no email entry) in full.
  const keys = [...policy.byKeyHash.entries()]
    .map(([hash, p]) => (p.serviceAccount ? `${hash} → ${JSON.stringify(describe(p), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}` : `${hash} → ${p.personId}`))
    .sort();
  for (const [email, p] of policy.byEmail) if (p.email !== email) throw new Error(`byEmail ${email} holds ${p.email}`);
  // A key must resolve to the very person object the email does: no stale copy left behind.
  for (const [hash, p] of policy.byKeyHash) if (!p.serviceAccount && policy.byEmail.get(p.email) !== p) throw new Error(`key ${hash} holds a stale policy of ${p.email}`);
  return { people, keys };
}
