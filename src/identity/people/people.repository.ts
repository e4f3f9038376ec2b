import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PersonRecord, PersonSource } from './person-record.schema.ts';

/** The columns a directory record sets on a person row. */
export interface PersonColumns {
  readonly email: string;
  readonly name: string | null;
  readonly user_name: string | null;
  readonly external_id: string | null;
  readonly given_name: string | null;
  readonly family_name: string | null;
  readonly title: string | null;
  readonly department: string | null;
  readonly division: string | null;
  readonly cost_center: string | null;
  readonly employee_number: string | null;
  readonly employee_type: string | null;
  readonly manager_ref: string | null;
  readonly manager_name: string | null;
  readonly job_level: number | null;
  readonly active: boolean;
  readonly source: PersonSource;
}

export type PersonRow = PersonColumns & {
  readonly id: bigint;
  readonly version: number;
  readonly deleted_at: Date | null;
  readonly source_document: unknown;
};

export function columnsOf(record: PersonRecord, source: PersonSource): PersonColumns {
  const joined = [record.givenName, record.familyName].filter((s) => s !== null).join(' ');
  return {
    email: record.email,
    name: record.displayName ?? (joined === '' ? null : joined),
    user_name: record.userName,
    external_id: record.externalId,
    given_name: record.givenName,
    family_name: record.familyName,
    title: record.title,
    department: record.department,
    division: record.division,
    cost_center: record.costCenter,
    employee_number: record.employeeNumber,
    employee_type: record.employeeType,
    manager_ref: record.managerRef,
    manager_name: record.managerName,
    job_level: record.jobLevel,
    active: record.active,
    source,
  };
}

const COLUMNS = [
  'id',
  'email',
  'name',
  'user_name',
  'external_id',
  'given_name',
  'family_name',
  'title',
  'department',
  'division',
  'cost_center',
  'employee_number',
  'employee_type',
  'manager_ref',
  'manager_name',
  'job_level',
  'active',
  'source',
  'version',
  'deleted_at',
  'source_document',
] as const;

/** The person row, locked for the rest of the transaction. */
export async function lockPerson(tx: Db, by: { readonly personId: bigint } | { readonly email: string }): Promise<PersonRow | undefined> {
  let query = tx.selectFrom('people').select(COLUMNS);
  query = 'personId' in by ? query.where('id', '=', by.personId) : query.where('email', '=', by.email.toLowerCase());
  const row = await query.forUpdate().executeTakeFirst();
  return row ? { ...row, id: BigInt(row.id), source: row.source as PersonSource } : undefined;
}

export async function insertPerson(tx: Db, columns: PersonColumns, document: unknown): Promise<bigint> {
  const row = await tx
    .insertInto('people')
    .values({ ...columns, source_document: document === undefined ? null : JSON.stringify(document) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return BigInt(row.id);
}

/** Writes a directory record over a person; a person deleted before comes back with a new directory id. */
export async function updatePerson(tx: Db, previous: PersonRow, columns: PersonColumns, document: unknown): Promise<void> {
  await tx
    .updateTable('people')
    .set({
      ...columns,
      source_document: document === undefined ? null : JSON.stringify(document),
      version: sql`version + 1`,
      deleted_at: null,
      scim_id: previous.deleted_at === null ? sql`scim_id` : sql`gen_random_uuid()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', previous.id)
    .execute();
}

/** A person removed from the directory: inactive, marked deleted, keys revoked, out of every group. History stays. */
export async function markDeleted(tx: Db, personId: bigint): Promise<void> {
  await tx
    .updateTable('people')
    .set({ active: false, deleted_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', personId)
    .execute();
  await tx.updateTable('api_keys').set({ revoked_at: sql`now()` }).where('person_id', '=', personId).where('revoked_at', 'is', null).execute();
  await tx.deleteFrom('directory_group_members').where('person_id', '=', personId).execute();
}

/** Bumps the version (ETag) of people whose representation changed elsewhere, e.g. their groups. */
export async function touchPeople(tx: Db, personIds: readonly bigint[]): Promise<void> {
  if (personIds.length === 0) return;
  await tx
    .updateTable('people')
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', 'in', [...personIds])
    .execute();
}

/** The rows of these people, unlocked (a bulk sync's first look; whatever it writes is locked again). */
export async function personRows(db: Db, personIds: readonly bigint[]): Promise<PersonRow[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('people')
    .select(COLUMNS)
    .where(sql<boolean>`id = any(${sql.val(personIds.map(String))}::bigint[])`)
    .execute();
  return rows.map((row) => ({ ...row, id: BigInt(row.id), source: row.source as PersonSource }));
}
