import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { describeIssues } from '../config/describe-issues.ts';
import { deactivateResource } from '../policy/deactivate-resource.ts';
import { KINDS, type ResourceOf } from '../policy/kinds.ts';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { conditionsFor, type Condition, type Outcome } from './conditions.ts';
import { FINALIZER, type ObjectKey } from './kinds.ts';
import { getObject, isConflict, recordEvent, setFinalizers, writeStatus, type KubeApi, type KubeObject } from './kube-api.ts';

/** What a Kind's reconciler computes: health and the Kind's own status fields. */
export interface KindResult {
  readonly outcome: Outcome;
  readonly status: Record<string, unknown>;
}

export interface ReconcileDeps {
  readonly api: KubeApi;
  readonly db: Db;
  readonly logger: Logger;
  /** The informer cache: saves a GET per reconcile (a stale copy only costs a conflict and a retry). */
  readonly cached?: (key: ObjectKey) => KubeObject | undefined;
}

/** Upserts the rows a resource of Kind `K` asks for (policy/desired-rows.ts) and says how that went. */
export type Reconciler<K extends ResourceKind> = (deps: ReconcileDeps, resource: ResourceOf<K>) => Promise<KindResult>;

/** One reconciler per Kind, each typed over its own Kind only. */
export type Reconcilers = { readonly [K in ResourceKind]: Reconciler<K> };

/**
 * The lifecycle every Kind shares, level-based: read the object as it is now;
 * deleted → deactivate its rows and drop the finalizer; otherwise make sure the
 * finalizer is there before the first write, validate, apply through the loader
 * shared with `stipend dev`, and write status. Returns false to ask for a retry.
 */
export async function reconcileResource(deps: ReconcileDeps, key: ObjectKey, reconcilers: Reconcilers): Promise<boolean> {
  let obj = deps.cached?.(key) ?? (await getObject(deps.api, key.kind, key.namespace, key.name));
  if (!obj || obj.metadata.deletionTimestamp) {
    const finalizers = obj?.metadata.finalizers ?? [];
    // Also when gone without our finalizer running (removed by hand): history stays, access goes.
    if (!obj || finalizers.includes(FINALIZER)) await deactivateResource(deps.db, key.kind, key.namespace, key.name);
    if (obj && finalizers.includes(FINALIZER)) {
      await setFinalizers(deps.api, key.kind, obj, finalizers.filter((f) => f !== FINALIZER));
      void recordEvent(deps.api, obj, 'Normal', 'Deactivated', 'rows deactivated in Postgres (history kept); finalizer removed');
    }
    return true;
  }
  if (!(obj.metadata.finalizers ?? []).includes(FINALIZER)) {
    // Before the first write, so that a delete can never skip the deactivation.
    obj = await setFinalizers(deps.api, key.kind, obj, [...(obj.metadata.finalizers ?? []), FINALIZER]);
  }

  const parsed = KINDS[key.kind].schema.safeParse(obj);
  const result: KindResult = parsed.success
    ? await reconcileKind(deps, reconcilers, parsed.data)
    : { outcome: { ready: false, reason: 'InvalidSpec', message: describeIssues(parsed.error, '(root)') }, status: {} };
  return writeResult(deps, key.kind, obj, result);
}

/** The one place a parsed resource meets its Kind's reconciler (the schema chose the Kind). */
function reconcileKind<K extends ResourceKind>(deps: ReconcileDeps, reconcilers: Reconcilers, resource: ResourceOf<K>): Promise<KindResult> {
  const reconcile = reconcilers[resource.kind as K] as Reconciler<K>;
  return reconcile(deps, resource);
}

/** Best effort, after a reconcile threw (Postgres away...): Ready=False, Reconciling=True. */
export async function reportRetrying(deps: ReconcileDeps, key: ObjectKey, error: unknown): Promise<void> {
  const obj = await getObject(deps.api, key.kind, key.namespace, key.name).catch(() => null);
  if (!obj || obj.metadata.deletionTimestamp) return;
  const message = `retrying: ${error instanceof Error ? error.message : String(error)}`.slice(0, 512);
  const status = { ...(obj.status ?? {}) };
  delete status.conditions;
  await writeResult(deps, key.kind, obj, { outcome: { ready: false, reason: 'ReconcileError', message, retrying: true }, status }).catch(() => undefined);
}

async function writeResult(deps: ReconcileDeps, kind: ResourceKind, obj: KubeObject, result: KindResult): Promise<boolean> {
  const generation = obj.metadata.generation ?? 0;
  const previous = (obj.status?.conditions as Condition[] | undefined) ?? [];
  const status = { ...result.status, observedGeneration: generation, conditions: conditionsFor(result.outcome, generation, previous) };
  if (sameStatus(obj.status, status)) return true;
  try {
    await writeStatus(deps.api, kind, obj, status);
  } catch (error) {
    if (isConflict(error)) return false; // changed meanwhile: reconcile again from fresh state
    throw error;
  }
  const before = previous.find((c) => c.type === 'Ready');
  const after = result.outcome.ready ? 'True' : 'False';
  // Events for what is worth knowing: a health change, or a new generation taken into account.
  if (before?.status !== after || before.reason !== result.outcome.reason || before.observedGeneration !== generation) {
    void recordEvent(deps.api, obj, result.outcome.ready ? 'Normal' : 'Warning', result.outcome.reason, result.outcome.message);
  }
  return true;
}

/** Status is rewritten only when something other than transition times changed (key order aside). */
export function sameStatus(current: Record<string, unknown> | undefined, next: Record<string, unknown>): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).filter((k) => k !== 'lastTransitionTime').sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return current !== undefined && JSON.stringify(canonical(current)) === JSON.stringify(canonical(next));
}
