import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { deactivateResource } from '../policy/deactivate-resource.ts';
import { describeIssues } from '../policy/load-resource-folder.ts';
import type { ResourceKind, StipendResource } from '../policy/resource.schema.ts';
import { conditionsFor, type Condition, type Outcome } from './conditions.ts';
import { FINALIZER, KINDS, type ObjectKey } from './kinds.ts';
import { getObject, isConflict, recordEvent, setFinalizers, writeStatus, type KubeApi, type KubeObject } from './kube-api.ts';

export interface ReconcileDeps {
  readonly api: KubeApi;
  readonly db: Db;
  readonly logger: Logger;
}

/** What a Kind's reconciler computes: health and the Kind's own status fields. */
export interface KindResult {
  readonly outcome: Outcome;
  readonly status: Record<string, unknown>;
}

export type ApplyKind = (deps: ReconcileDeps, resource: StipendResource) => Promise<KindResult>;

/**
 * The lifecycle every Kind shares, level-based: read the object as it is now;
 * deleted → deactivate its rows and drop the finalizer; otherwise make sure the
 * finalizer is there before the first write, validate, apply through the loader
 * shared with `stipend dev`, and write status. Returns false to ask for a retry.
 */
export async function reconcileResource(deps: ReconcileDeps, key: ObjectKey, applyKind: ApplyKind): Promise<boolean> {
  const obj = await getObject(deps.api, key.kind, key.namespace, key.name);
  if (!obj) {
    // Gone without our finalizer running (e.g. removed by hand): still deactivate.
    await deactivateResource(deps.db, key.kind, key.namespace, key.name);
    return true;
  }
  const finalizers = obj.metadata.finalizers ?? [];
  if (obj.metadata.deletionTimestamp) {
    if (!finalizers.includes(FINALIZER)) return true;
    await deactivateResource(deps.db, key.kind, key.namespace, key.name);
    await setFinalizers(deps.api, key.kind, obj, finalizers.filter((f) => f !== FINALIZER));
    return true;
  }
  if (!finalizers.includes(FINALIZER)) {
    await setFinalizers(deps.api, key.kind, obj, [...finalizers, FINALIZER]);
    return true; // the update comes back as an event; continue from fresh state
  }

  const parsed = KINDS[key.kind].schema.safeParse(obj);
  const result: KindResult = parsed.success
    ? await applyKind(deps, parsed.data as StipendResource)
    : { outcome: { ready: false, reason: 'InvalidSpec', message: describeIssues(parsed.error) }, status: {} };
  return writeResult(deps, key.kind, obj, result);
}

async function writeResult(deps: ReconcileDeps, kind: ResourceKind, obj: KubeObject, result: KindResult): Promise<boolean> {
  const generation = obj.metadata.generation ?? 0;
  const previous = (obj.status?.conditions as Condition[] | undefined) ?? [];
  const status = { ...result.status, observedGeneration: generation, conditions: conditionsFor(result.outcome, generation, previous) };
  const wasReady = previous.find((c) => c.type === 'Ready')?.status;
  if (sameStatus(obj.status, status)) return true;
  try {
    await writeStatus(deps.api, kind, obj, status);
  } catch (error) {
    if (isConflict(error)) return false; // someone changed it meanwhile: reconcile again from fresh state
    throw error;
  }
  const nowReady = result.outcome.ready ? 'True' : 'False';
  if (wasReady !== nowReady || previous.find((c) => c.type === 'Ready')?.observedGeneration !== generation) {
    await recordEvent(deps.api, obj, result.outcome.ready ? 'Normal' : 'Warning', result.outcome.reason, result.outcome.message);
  }
  return true;
}

/** Status is rewritten only when something other than timestamps changed. */
function sameStatus(current: Record<string, unknown> | undefined, next: Record<string, unknown>): boolean {
  const strip = (s: unknown) => JSON.stringify(s, (k, v: unknown) => (k === 'lastTransitionTime' ? undefined : v));
  return current !== undefined && strip(current) === strip(next);
}
