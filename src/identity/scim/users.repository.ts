import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

const USER_COLUMNS = ['id', 'scim_id', 'email', 'user_name', 'source', 'source_document', 'active', 'job_level', 'version', 'deleted_at', 'created_at', 'updated_at'] as const;

export interface UserRow {
  readonly id: bigint;
  readonly scim_id: string;
  readonly email: string;
  readonly user_name: string | null;
  readonly source: string;
  readonly source_document: unknown;
  readonly active: boolean;
  readonly job_level: number | null;
  readonly version: number;
  readonly deleted_at: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export interface GroupRef {
  readonly scimId: string;
  readonly displayName: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SCIM sees the people it provisioned and has not deleted. */
const visible = (db: Db) => db.selectFrom('people').select(USER_COLUMNS).where('source', '=', 'scim').where('deleted_at', 'is', null);

const asRow = (r: Omit<UserRow, 'id'> & { id: bigint | string }): UserRow => ({ ...r, id: BigInt(r.id) });

export async function findUser(db: Db, scimId: string, options: { readonly lock?: boolean } = {}): Promise<UserRow | undefined> {
  if (!UUID.test(scimId)) return undefined;
  let query = visible(db).where('scim_id', '=', scimId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? asRow(row) : undefined;
}

/** Users by the values a filter's equality names (id, userName, externalId): the candidates it is evaluated on. */
export async function findUsersBy(db: Db, keys: { readonly ids: readonly string[]; readonly userNames: readonly string[]; readonly externalIds: readonly string[] }): Promise<UserRow[]> {
  const ids = keys.ids.filter((id) => UUID.test(id));
  if (ids.length === 0 && keys.userNames.length === 0 && keys.externalIds.length === 0) return [];
  const rows = await visible(db)
    .where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('scim_id', 'in', ids)] : []),
        ...(keys.userNames.length > 0 ? [eb(sql`lower(user_name)`, 'in', keys.userNames.map((u) => u.toLowerCase()))] : []),
        ...(keys.externalIds.length > 0 ? [eb('external_id', 'in', [...keys.externalIds])] : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map(asRow);
}

export async function allUsers(db: Db): Promise<UserRow[]> {
  return (await visible(db).orderBy('id').execute()).map(asRow);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('source', '=', 'scim')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function pageOfUsers(db: Db, offset: number, limit: number): Promise<UserRow[]> {
  return (await visible(db).orderBy('id').offset(offset).limit(limit).execute()).map(asRow);
}

/** Another SCIM user (not deleted) with this userName, case-insensitively. */
export async function userNameTaken(db: Db, userName: string, exceptPersonId: bigint | null): Promise<boolean> {
  let query = visible(db).where(sql`lower(user_name)`, '=', userName.toLowerCase());
  if (exceptPersonId !== null) query = query.where('id', '<>', exceptPersonId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The person (any source) who holds an email now. */
export async function personWithEmail(db: Db, email: string) {
  return db.selectFrom('people').select(['id', 'source', 'deleted_at']).where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function groupsOfPeople(db: Db, personIds: readonly bigint[]): Promise<Map<bigint, GroupRef[]>> {
  const out = new Map<bigint, GroupRef[]>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('directory_group_members')
    .innerJoin('directory_groups', 'directory_groups.id', 'directory_group_members.group_id')
    .select(['directory_group_members.person_id', 'directory_groups.scim_id', 'directory_groups.display_name'])
    .where('directory_group_members.person_id', 'in', [...personIds])
    .orderBy('directory_groups.display_name')
    .execute();
  for (const r of rows) {
    const id = BigInt(r.person_id);
    const list = out.get(id) ?? [];
    list.push({ scimId: r.scim_id, displayName: r.display_name });
    out.set(id, list);
  }
  return out;
}

/** Person ids for member values (SCIM User ids); unknown ids are reported, not guessed. */
export async function peopleByScimIds(db: Db, scimIds: readonly string[]): Promise<Map<string, bigint>> {
  const valid = [...new Set(scimIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
  const out = new Map<string, bigint>();
  for (let i = 0; i < valid.length; i += 1000) {
    const rows = await visible(db).where('scim_id', 'in', valid.slice(i, i + 1000)).execute();
    for (const r of rows) out.set(r.scim_id.toLowerCase(), BigInt(r.id));
  }
  return out;
}
