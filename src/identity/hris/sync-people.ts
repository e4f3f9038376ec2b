// A full HRIS pull applied as joiners, movers and leavers through the shared people path
// (applyPersonIn), all in one transaction: either every change is kept or none is.
// - A person is found by the HRIS's employee id among people from the HRIS, else by email
//   (a person declared in YAML is adopted, as SCIM adopts them). People provisioned by
//   SCIM are never touched: the IdP owns them.
// - People from the HRIS that the pull no longer lists become leavers (inactive, keys
//   suspended, history kept); people from any other source are never touched.
// - A dry run does all of it and rolls back. Unchanged people write nothing and send no
//   NOTIFY, so a second run changes nothing.
// - Too many leavers at once (an API key that suddenly sees fewer employees) stops the run.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { applyPersonIn, isUnchanged, type PersonChange } from '../people/apply-person.ts';
import { columnsOf, personRows } from '../people/people.repository.ts';
import { personRecordSchema, type PersonRecord } from '../people/person-record.schema.ts';
import type { HrisEmployee, HrisSkip } from './hris-employee.ts';

export type LeaverLimit = { readonly count: number } | { readonly percent: number };

export interface SyncPeopleOptions {
  readonly dryRun: boolean;
  readonly maxLeavers: LeaverLimit;
  /** How the HRIS is named in reasons: "not in BambooHR". */
  readonly hrisName: string;
}

export interface SyncedChange extends PersonChange {
  /** For leavers and joiners: why ("status Inactive", "not in BambooHR"). */
  readonly reason?: string;
}

export interface SyncOutcome {
  /** Joiners, movers, leavers and people with other attributes changed. */
  readonly changes: readonly SyncedChange[];
  /** People the HRIS lists exactly as Stipend has them: nothing written. */
  readonly unchanged: number;
  readonly skipped: readonly HrisSkip[];
  readonly dryRun: boolean;
  /** Set when the run was stopped (and nothing kept): the leavers exceeded the limit. */
  readonly blocked?: string;
}

/** Rolls the transaction back while carrying what it computed out. */
class Rollback extends Error {
  readonly outcome: SyncOutcome;
  constructor(outcome: SyncOutcome) {
    super('rollback');
    this.outcome = outcome;
  }
}

interface KnownPerson {
  readonly id: bigint;
  readonly email: string;
  readonly source: string;
  readonly external_id: string | null;
  readonly active: boolean;
  readonly deleted_at: Date | null;
}

const LOCK_KEY = 'stipend:hris-sync';
/** A percentage limit always allows this many, so that a small company is not stopped by two leavers. */
const LEAVER_FLOOR = 10;

export async function syncPeople(db: Db, input: { readonly employees: readonly HrisEmployee[]; readonly skipped: readonly HrisSkip[] }, options: SyncPeopleOptions): Promise<SyncOutcome> {
  const { employees, skipped: dedupSkips } = dedupe(input.employees);
  try {
    return await db.transaction().execute(async (tx) => {
      // One sync at a time: a manual run during the CronJob's waits for it.
      await sql`select pg_advisory_xact_lock(hashtext(${LOCK_KEY}))`.execute(tx);
      const outcome = await applyAll(tx, employees, [...input.skipped, ...dedupSkips], options);
      if (options.dryRun || outcome.blocked) throw new Rollback(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
}

async function applyAll(tx: Db, employees: readonly HrisEmployee[], skipped: HrisSkip[], options: SyncPeopleOptions): Promise<SyncOutcome> {
  const emails = employees.map((e) => e.record.email);
  const known = (
    await sql<KnownPerson>`
      select id, email, source, external_id, active, deleted_at from people
      where source = 'hris' or email = any(${sql.val(emails)}::text[])`.execute(tx)
  ).rows.map((r) => ({ ...r, id: BigInt(r.id) }));
  const hrisById = new Map(known.filter((p) => p.source === 'hris' && p.external_id !== null && p.deleted_at === null).map((p) => [p.external_id!, p]));
  const byEmail = new Map(known.map((p) => [p.email, p]));
  const activeBefore = known.filter((p) => p.source === 'hris' && p.active && p.deleted_at === null).length;

  const changes: SyncedChange[] = [];
  const seen = new Set<bigint>();
  const planned: { readonly employee: HrisEmployee; readonly target: KnownPerson | undefined }[] = [];
  for (const employee of employees) {
    const { email } = employee.record;
    const mine = hrisById.get(employee.externalId);
    const holder = byEmail.get(email);
    if (mine && holder && holder.id !== mine.id) {
      skipped.push({ externalId: employee.externalId, email, reason: `its new work email belongs to another person already (${holder.source})` });
      seen.add(mine.id);
      continue;
    }
    const target = mine ?? holder;
    if (target && target.source === 'scim') {
      skipped.push({ externalId: employee.externalId, email, reason: 'provisioned by SCIM (the identity provider owns this person)' });
      continue;
    }
    // A former employee Stipend never knew: nothing to take away, no row to add.
    if (!target && !employee.record.active) continue;
    planned.push({ employee, target });
  }

  // Most people are unchanged in most runs: one read tells them apart, and only the others
  // go through the apply path (which locks and reads each again).
  const rows = new Map((await personRows(tx, planned.flatMap((p) => (p.target ? [p.target.id] : [])))).map((r) => [r.id, r]));
  let unchanged = 0;
  for (const { employee, target } of planned) {
    const row = target ? rows.get(target.id) : undefined;
    if (row && isUnchanged(row, columnsOf(employee.record, 'hris'), employee.document)) {
      seen.add(row.id);
      unchanged++;
      continue;
    }
    const change = await applyPersonIn(tx, { source: 'hris', match: target ? { personId: target.id } : 'email', record: employee.record, document: employee.document });
    seen.add(change.personId);
    if (change.kind === 'unchanged') {
      unchanged++;
      continue;
    }
    const reason = change.kind === 'leaver' ? employee.inactiveReason : change.kind === 'joiner' && target ? 'active again' : undefined;
    changes.push(reason ? { ...change, reason } : change);
  }

  // Gone from the HRIS: suspended (inactive) rather than deleted, so that a mistake in the
  // HRIS (an access level that hides people) is undone by the next run.
  const gone = known.filter((p) => p.source === 'hris' && p.active && p.deleted_at === null && !seen.has(p.id));
  for (const person of gone) {
    const { record, document } = await currentRecord(tx, person.id);
    const change = await applyPersonIn(tx, { source: 'hris', match: { personId: person.id }, record: { ...record, active: false }, document });
    changes.push({ ...change, reason: `not in ${options.hrisName}` });
  }

  const leavers = changes.filter((c) => c.kind === 'leaver').length;
  const limit = 'count' in options.maxLeavers ? options.maxLeavers.count : Math.max(LEAVER_FLOOR, Math.floor((activeBefore * options.maxLeavers.percent) / 100));
  const blocked =
    leavers > limit
      ? `${leavers} leavers is more than --max-leavers allows (${'count' in options.maxLeavers ? limit : `${options.maxLeavers.percent}% of ${activeBefore} active people from ${options.hrisName}, at least ${LEAVER_FLOOR}: ${limit}`}); nothing was changed. If ${options.hrisName} is right, run again with --max-leavers ${leavers}`
      : undefined;
  return { changes, unchanged, skipped, dryRun: options.dryRun, ...(blocked ? { blocked } : {}) };
}

/** The person's row as a record (to write it back inactive) and their stored document. */
async function currentRecord(tx: Db, personId: bigint): Promise<{ readonly record: PersonRecord; readonly document: unknown }> {
  const row = await tx.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
  const record = personRecordSchema.parse({
    email: row.email,
    userName: row.user_name,
    externalId: row.external_id,
    displayName: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    title: row.title,
    department: row.department,
    division: row.division,
    costCenter: row.cost_center,
    employeeNumber: row.employee_number,
    employeeType: row.employee_type,
    managerRef: row.manager_ref,
    managerName: row.manager_name,
    jobLevel: row.job_level,
    active: row.active,
  });
  return { record, document: row.source_document ?? undefined };
}

/**
 * One employee per work email. A rehire often gets a new record with the old email, the
 * old one kept as Inactive: the active record wins, quietly. Two active records with one
 * email are a mistake in the HRIS: the newest (highest id) wins, the other is reported.
 */
function dedupe(employees: readonly HrisEmployee[]): { readonly employees: HrisEmployee[]; readonly skipped: HrisSkip[] } {
  const byEmail = new Map<string, HrisEmployee>();
  const skipped: HrisSkip[] = [];
  const newer = (a: HrisEmployee, b: HrisEmployee) => (a.externalId.length - b.externalId.length || (a.externalId > b.externalId ? 1 : -1)) > 0;
  for (const e of employees) {
    const other = byEmail.get(e.record.email);
    if (!other) {
      byEmail.set(e.record.email, e);
      continue;
    }
    const [keep, drop] = e.record.active !== other.record.active ? (e.record.active ? [e, other] : [other, e]) : newer(e, other) ? [e, other] : [other, e];
    byEmail.set(e.record.email, keep);
    if (drop.record.active) skipped.push({ externalId: drop.externalId, email: drop.record.email, reason: `another active employee (${keep.externalId}) has the same work email` });
  }
  return { employees: [...byEmail.values()].sort((a, b) => (a.record.email < b.record.email ? -1 : 1)), skipped };
}
