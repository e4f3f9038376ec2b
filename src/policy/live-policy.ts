import { performance } from 'node:perf_hooks';
import type { Db } from '../db/database.ts';
import { applyDelta } from './apply-delta.ts';
import { buildIndex } from './build-index.ts';
import type { CompiledPolicy } from './person-policy.ts';
import type { PolicyChange } from './policy-change.ts';
import { loadPolicyDelta } from './policy-delta.repository.ts';
import type { PolicyIndex } from './policy-index.ts';
import { loadPolicySnapshot } from './policy-snapshot.repository.ts';
import { runSliced, timeSlicer } from './slicer.ts';

export interface PolicyUpdate {
  readonly kind: 'full' | 'incremental';
  /** Changes (payloads) the update covered. */
  readonly changes: number;
  /** People compiled. */
  readonly people: number;
  /** Service accounts compiled. */
  readonly accounts: number;
  /** From the first of its changes arriving to the update being published. */
  readonly ms: number;
}

export interface LivePolicyOptions {
  /** Longest stretch of work between two returns to the event loop, in ms (default 5; 0 = after every row or person). */
  readonly sliceMs?: number;
  /** After a failed update (Postgres away) its changes are tried again after this long (default 1 s). */
  readonly retryMs?: number;
  readonly onUpdate?: (update: PolicyUpdate) => void;
  readonly onError?: (error: unknown) => void;
  /** How a slice gives the event loop back (default: setImmediate, so waiting requests run first). */
  readonly yieldToLoop?: () => Promise<void>;
}

export interface LivePolicy {
  /** The policy requests use: always a complete one (the previous until an update is published). */
  current(): CompiledPolicy;
  /** Queues a change; changes that arrive while an update runs are applied right after it. */
  push(change: PolicyChange): void;
  /** Queues a full rebuild; resolves once it ran (or failed: it is then retried). */
  rebuild(): Promise<void>;
  /** Changes queued and not yet being applied. */
  pending(): number;
  close(): Promise<void>;
}

interface Batch {
  full: boolean;
  readonly people: Set<bigint>;
  readonly teams: Set<bigint>;
  readonly budgets: Set<bigint>;
  readonly policies: Set<bigint>;
  readonly accounts: Set<bigint>;
  changes: number;
  firstAt: number;
  readonly waiters: (() => void)[];
}

const newBatch = (): Batch => ({ full: false, people: new Set(), teams: new Set(), budgets: new Set(), policies: new Set(), accounts: new Set(), changes: 0, firstAt: 0, waiters: [] });

const setImmediateYield = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An observer that throws must not stop updates (nor become an unhandled rejection). */
function report(call: () => void): void {
  try {
    call();
  } catch {
    // the observer's own failure; the policy is updated all the same
  }
}

/**
 * Keeps a replica's compiled policy up to date from change notifications, without
 * stopping the event loop: one change at a time re-reads only the rows it names and
 * recompiles only the people they reach; a full rebuild (start, `full`, an unknown
 * payload, LISTEN reconnect) runs in slices while requests keep the previous policy.
 * Changes are applied in the order they arrive, batched while an update runs; a batch
 * that fails is queued again, so no change is lost.
 */
export async function startLivePolicy(db: Db, options: LivePolicyOptions = {}): Promise<LivePolicy> {
  const slicer = timeSlicer(options.sliceMs ?? 5);
  const retryMs = options.retryMs ?? 1000;
  const yieldToLoop = options.yieldToLoop ?? setImmediateYield;

  const rebuildIndex = async (): Promise<PolicyIndex> => runSliced(buildIndex(await loadPolicySnapshot(db), slicer), slicer, yieldToLoop);

  const started = performance.now();
  let index = await rebuildIndex();
  report(() => options.onUpdate?.({ kind: 'full', changes: 0, people: index.people.size, accounts: index.accounts.size, ms: performance.now() - started }));

  let queued = newBatch();
  let running: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;
  /** Set while a delta is being applied: a failure then may leave the index half-changed. */
  let changingIndex = false;

  const apply = async (batch: Batch): Promise<PolicyUpdate> => {
    if (batch.full) {
      index = await rebuildIndex();
      return { kind: 'full', changes: batch.changes, people: index.people.size, accounts: index.accounts.size, ms: performance.now() - batch.firstAt };
    }
    // A team's old members are re-read too: the team may have changed the people it declares.
    const people = new Set(batch.people);
    for (const teamId of batch.teams) for (const personId of index.membersOf.get(teamId) ?? []) people.add(personId);
    const delta = await loadPolicyDelta(db, { people, teams: batch.teams, budgets: batch.budgets, policies: batch.policies, accounts: batch.accounts });
    changingIndex = true;
    const recompiled = await runSliced(applyDelta(index, delta, slicer), slicer, yieldToLoop);
    changingIndex = false;
    return { kind: 'incremental', changes: batch.changes, ...recompiled, ms: performance.now() - batch.firstAt };
  };

  const drain = async (): Promise<void> => {
    while (!closed && queued.changes > 0) {
      const batch = queued;
      queued = newBatch();
      let update: PolicyUpdate;
      try {
        update = await apply(batch);
      } catch (error) {
        // Not read (Postgres away): the same changes again. Failed half-way through the index: rebuild it.
        if (changingIndex) batch.full = true;
        changingIndex = false;
        requeue(batch);
        report(() => options.onError?.(error));
        scheduleRetry();
        return;
      } finally {
        for (const resolve of batch.waiters) resolve();
      }
      report(() => options.onUpdate?.(update));
    }
  };

  const kick = () => {
    if (running || closed || queued.changes === 0) return;
    running = drain().finally(() => {
      running = null;
      if (!retry) kick(); // changes that arrived during the last await
    });
  };

  const scheduleRetry = () => {
    if (retry || closed) return;
    retry = setTimeout(() => {
      retry = null;
      kick();
    }, retryMs);
    retry.unref();
  };

  const requeue = (batch: Batch) => {
    const into = queued;
    into.full ||= batch.full;
    for (const id of batch.people) into.people.add(id);
    for (const id of batch.teams) into.teams.add(id);
    for (const id of batch.budgets) into.budgets.add(id);
    for (const id of batch.policies) into.policies.add(id);
    for (const id of batch.accounts) into.accounts.add(id);
    into.firstAt = into.changes === 0 ? batch.firstAt : Math.min(into.firstAt, batch.firstAt);
    into.changes += batch.changes;
  };

  const push = (change: PolicyChange) => {
    if (closed) return;
    const into = queued;
    if (into.changes === 0) into.firstAt = performance.now();
    into.changes++;
    switch (change.kind) {
      case 'full':
        into.full = true;
        break;
      case 'person':
      case 'key':
        for (const id of change.ids) into.people.add(id);
        break;
      case 'team':
        for (const id of change.ids) into.teams.add(id);
        break;
      case 'budget':
        for (const id of change.ids) into.budgets.add(id);
        break;
      case 'policy':
        for (const id of change.ids) into.policies.add(id);
        break;
      case 'account':
        for (const id of change.ids) into.accounts.add(id);
        break;
    }
    if (!retry) kick();
  };

  return {
    current: () => index.published.compiled,
    push,
    rebuild() {
      return new Promise<void>((resolve) => {
        if (closed) return resolve();
        queued.waiters.push(resolve);
        push({ kind: 'full' });
        // Waiting for a retry: a rebuild asked for now is tried now.
        if (retry) {
          clearTimeout(retry);
          retry = null;
          kick();
        }
      });
    },
    pending: () => queued.changes,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = null;
      await running;
      for (const resolve of queued.waiters) resolve();
    },
  };
}
