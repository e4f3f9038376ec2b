import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { UUID } from './users.repository.ts';

export interface GroupRow {
  readonly id: bigint;
  readonly scim_id: string;
  readonly display_name: string;
  readonly external_id: string | null;
  readonly version: number;
  readonly source_document: unknown;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export interface MemberRef {
  readonly personId: bigint;
  readonly scimId: string;
}

const COLUMNS = ['id', 'scim_id', 'display_name', 'external_id', 'version', 'source_document', 'created_at', 'updated_at'] as const;
const asRow = (r: Omit<GroupRow, 'id'> & { id: bigint | string }): GroupRow => ({ ...r, id: BigInt(r.id) });

export async function findGroup(db: Db, scimId: string, options: { readonly lock?: boolean } = {}): Promise<GroupRow | undefined> {
  if (!UUID.test(scimId)) return undefined;
  let query = db.selectFrom('directory_groups').select(COLUMNS).where('scim_id', '=', scimId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? asRow(row) : undefined;
}

export async function findGroupsBy(db: Db, keys: { readonly ids: readonly string[]; readonly displayNames: readonly string[]; readonly externalIds: readonly string[] }): Promise<GroupRow[]> {
  const ids = keys.ids.filter((id) => UUID.test(id));
  if (ids.length === 0 && keys.displayNames.length === 0 && keys.externalIds.length === 0) return [];
  const rows = await db
    .selectFrom('directory_groups')
    .select(COLUMNS)
    .where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('scim_id', 'in', ids)] : []),
        ...(keys.displayNames.length > 0 ? [eb(sql`lower(display_name)`, 'in', keys.displayNames.map((d) => d.toLowerCase()))] : []),
        ...(keys.externalIds.length > 0 ? [eb('external_id', 'in', [...keys.externalIds])] : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map(asRow);
}

export async function allGroups(db: Db): Promise<GroupRow[]> {
  return (await db.selectFrom('directory_groups').select(COLUMNS).orderBy('id').execute()).map(asRow);
}

export async function countGroups(db: Db): Promise<number> {
  const row = await db.selectFrom('directory_groups').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function pageOfGroups(db: Db, offset: number, limit: number): Promise<GroupRow[]> {
  return (await db.selectFrom('directory_groups').select(COLUMNS).orderBy('id').offset(offset).limit(limit).execute()).map(asRow);
}

export async function displayNameTaken(db: Db, displayName: string, exceptGroupId: bigint | null): Promise<boolean> {
  let query = db.selectFrom('directory_groups').select('id').where(sql`lower(display_name)`, '=', displayName.toLowerCase());
  if (exceptGroupId !== null) query = query.where('id', '<>', exceptGroupId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function membersOf(db: Db, groupIds: readonly bigint[]): Promise<Map<bigint, MemberRef[]>> {
  const out = new Map<bigint, MemberRef[]>();
  if (groupIds.length === 0) return out;
  const rows = await db
    .selectFrom('directory_group_members')
    .innerJoin('people', 'people.id', 'directory_group_members.person_id')
    .select(['directory_group_members.group_id', 'people.id', 'people.scim_id'])
    .where('directory_group_members.group_id', 'in', [...groupIds])
    .orderBy('people.id')
    .execute();
  for (const r of rows) {
    const id = BigInt(r.group_id);
    const list = out.get(id) ?? [];
    list.push({ personId: BigInt(r.id), scimId: r.scim_id });
    out.set(id, list);
  }
  return out;
}

export async function insertGroup(db: Db, values: { readonly displayName: string; readonly externalId: string | null; readonly document: unknown }): Promise<GroupRow> {
  const row = await db
    .insertInto('directory_groups')
    .values({ display_name: values.displayName, external_id: values.externalId, source_document: JSON.stringify(values.document) })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return asRow(row);
}

export async function updateGroup(db: Db, id: bigint, values: { readonly displayName: string; readonly externalId: string | null; readonly document: unknown }): Promise<void> {
  await db
    .updateTable('directory_groups')
    .set({
      display_name: values.displayName,
      external_id: values.externalId,
      source_document: JSON.stringify(values.document),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function touchGroup(db: Db, id: bigint): Promise<void> {
  await db.updateTable('directory_groups').set({ version: sql`version + 1`, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Makes the group's members exactly these people; returns who joined or left. */
export async function setMembers(db: Db, groupId: bigint, personIds: readonly bigint[]): Promise<bigint[]> {
  const current = await db.selectFrom('directory_group_members').select('person_id').where('group_id', '=', groupId).execute();
  const before = new Set(current.map((r) => BigInt(r.person_id)));
  const after = new Set(personIds);
  const removed = [...before].filter((id) => !after.has(id));
  const added = [...after].filter((id) => !before.has(id));
  for (let i = 0; i < removed.length; i += 1000) {
    await db.deleteFrom('directory_group_members').where('group_id', '=', groupId).where('person_id', 'in', removed.slice(i, i + 1000)).execute();
  }
  for (let i = 0; i < added.length; i += 1000) {
    await db
      .insertInto('directory_group_members')
      .values(added.slice(i, i + 1000).map((personId) => ({ group_id: groupId, person_id: personId })))
      .execute();
  }
  return [...removed, ...added];
}

/** Deletes a group; returns its former members. */
export async function deleteGroup(db: Db, id: bigint): Promise<bigint[]> {
  const members = await db.deleteFrom('directory_group_members').where('group_id', '=', id).returning('person_id').execute();
  await db.deleteFrom('directory_groups').where('id', '=', id).execute();
  return members.map((m) => BigInt(m.person_id));
}
