import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/database.ts';
import { notifyChange } from '../../policy/notify-change.ts';
import { personChanged } from '../../policy/policy-change.ts';
import { recomputeMemberships, teamsOf } from '../../policy/person-memberships.ts';
import { columnsOf, insertPerson, lockPerson, markDeleted, touchPeople, updatePerson, type PersonColumns, type PersonRow } from './people.repository.ts';
import type { PersonRecord, PersonSource } from './person-record.schema.ts';

/**
 * joiner: a person who can now spend (new, or active again); leaver: a person who no longer
 * can; mover: still active, with other teams or another job level (so possibly another
 * tier); updated: other attributes only; unchanged: nothing to write.
 */
export type ChangeKind = 'joiner' | 'mover' | 'leaver' | 'updated' | 'unchanged';

export interface PersonChange {
  readonly kind: ChangeKind;
  readonly personId: bigint;
  readonly email: string;
  readonly teamsBefore: readonly string[];
  readonly teamsAfter: readonly string[];
  readonly jobLevelBefore: number | null;
  readonly jobLevelAfter: number | null;
}

export interface ApplyPersonInput {
  readonly source: PersonSource;
  /** Which person the record describes: a known row, or whoever has the record's email (or a new person). */
  readonly match: { readonly personId: bigint } | 'email';
  readonly record: PersonRecord;
  /** The directory's own representation, kept as it came (returned to SCIM clients as they wrote it). */
  readonly document?: unknown;
}

export class PersonNotFoundError extends Error {
  override readonly name = 'PersonNotFoundError';
}

class DryRun extends Error {
  readonly change: PersonChange;
  constructor(change: PersonChange) {
    super('dry run');
    this.change = change;
  }
}

/**
 * The joiner/mover/leaver path shared by every directory: writes the person, recomputes
 * their team memberships from every Team's selector, and announces the change (NOTIFY,
 * delivered at commit, so every gateway replica reloads), in one transaction.
 * `dryRun` does all of it and rolls back: the change is reported, nothing is kept.
 */
export async function applyPerson(db: Db, input: ApplyPersonInput, options: { readonly dryRun?: boolean } = {}): Promise<PersonChange> {
  try {
    return await db.transaction().execute(async (tx) => {
      const change = await applyPersonIn(tx, input);
      if (options.dryRun) throw new DryRun(change);
      return change;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.change;
    throw error;
  }
}

/** applyPerson inside the caller's transaction (a SCIM request that writes more than the person). */
export async function applyPersonIn(tx: Db, input: ApplyPersonInput): Promise<PersonChange> {
  const columns = columnsOf(input.record, input.source);
  const previous = await lockPerson(tx, input.match === 'email' ? { email: columns.email } : input.match);
  if (!previous && input.match !== 'email') throw new PersonNotFoundError(`no person with id ${input.match.personId}`);
  if (previous && isUnchanged(previous, columns, input.document)) {
    const teams = await teamsOf(tx, previous.id);
    return { kind: 'unchanged', personId: previous.id, email: previous.email, teamsBefore: teams, teamsAfter: teams, jobLevelBefore: previous.job_level, jobLevelAfter: previous.job_level };
  }
  const teamsBefore = previous ? await teamsOf(tx, previous.id) : [];
  let personId: bigint;
  if (previous) {
    personId = previous.id;
    await updatePerson(tx, previous, columns, input.document);
  } else {
    personId = await insertPerson(tx, columns, input.document);
  }
  await recomputeMemberships(tx, [personId]);
  const teamsAfter = await teamsOf(tx, personId);
  await notifyChange(tx, personChanged([personId]));
  const wasActive = previous?.active === true && previous.deleted_at === null;
  return {
    kind: classify(wasActive, columns.active, teamsBefore, teamsAfter, previous?.job_level ?? null, columns.job_level),
    personId,
    email: columns.email,
    teamsBefore,
    teamsAfter,
    jobLevelBefore: previous?.job_level ?? null,
    jobLevelAfter: columns.job_level,
  };
}

/**
 * The person left the directory (SCIM DELETE, an HRIS termination that removes the
 * record): inactive, marked deleted, every key revoked, out of every group and selected
 * team. The row and the ledger's rows about it stay.
 */
export async function removePersonIn(tx: Db, personId: bigint): Promise<PersonChange> {
  const previous = await lockPerson(tx, { personId });
  if (!previous) throw new PersonNotFoundError(`no person with id ${personId}`);
  const teamsBefore = await teamsOf(tx, personId);
  await markDeleted(tx, personId);
  await recomputeMemberships(tx, [personId]);
  const teamsAfter = await teamsOf(tx, personId);
  await notifyChange(tx, personChanged([personId]));
  return {
    kind: previous.active && previous.deleted_at === null ? 'leaver' : 'updated',
    personId,
    email: previous.email,
    teamsBefore,
    teamsAfter,
    jobLevelBefore: previous.job_level,
    jobLevelAfter: previous.job_level,
  };
}

/**
 * People joined or left a directory group: their representation changed (new version),
 * and so may their teams (memberSelector `groups`). Gateways reload only if a team did.
 */
export async function applyGroupChangeIn(tx: Db, personIds: readonly bigint[]): Promise<void> {
  if (personIds.length === 0) return;
  await touchPeople(tx, personIds);
  // Only these people's teams can have changed: replicas recompile them, not everyone.
  if (await recomputeMemberships(tx, personIds)) await notifyChange(tx, personChanged(personIds));
}

/** Whether writing `columns` and `document` over the row would change nothing (bulk syncs skip such people). */
export function isUnchanged(previous: PersonRow, columns: PersonColumns, document: unknown): boolean {
  if (previous.deleted_at !== null) return false;
  for (const [key, value] of Object.entries(columns)) {
    if (previous[key as keyof PersonColumns] !== value) return false;
  }
  return isDeepStrictEqual(previous.source_document ?? null, document === undefined ? null : normalizeJson(document));
}

/** What jsonb gives back for a value: JSON round trip (undefined members dropped). */
function normalizeJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function classify(wasActive: boolean, isActive: boolean, before: readonly string[], after: readonly string[], levelBefore: number | null, levelAfter: number | null): ChangeKind {
  if (!wasActive && isActive) return 'joiner';
  if (wasActive && !isActive) return 'leaver';
  if (!isActive) return 'updated';
  if (!isDeepStrictEqual(before, after) || levelBefore !== levelAfter) return 'mover';
  return 'updated';
}
