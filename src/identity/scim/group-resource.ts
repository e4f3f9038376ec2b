import type { GroupRow, MemberRef } from './groups.repository.ts';
import { isObject, type Doc } from './schema/normalize.ts';
import { GROUP_SCHEMA } from './schema/resource-types.ts';
import { etagOf } from './user-resource.ts';

/** The Group resource. Members are Users, rendered as value, $ref and type. */
export function renderGroup(row: GroupRow, members: readonly MemberRef[] | null, base: string): Doc {
  const doc = isObject(row.source_document) ? row.source_document : {};
  const { displayName: _d, externalId: _e, members: _m, ...rest } = doc;
  const out: Doc = { schemas: [GROUP_SCHEMA], id: row.scim_id, ...(row.external_id ? { externalId: row.external_id } : {}), displayName: row.display_name, ...rest };
  if (members && members.length > 0) {
    out['members'] = members.map((m) => ({ value: m.scimId, $ref: `${base}/Users/${m.scimId}`, type: 'User' }));
  }
  out['meta'] = {
    resourceType: 'Group',
    created: row.created_at.toISOString(),
    lastModified: row.updated_at.toISOString(),
    location: `${base}/Groups/${row.scim_id}`,
    version: etagOf(row.version),
  };
  return out;
}

/** The member values of a group document (`members[].value`), and whether any member is not a User. */
export function memberValues(doc: Readonly<Doc>): { readonly values: string[]; readonly nonUser: boolean } {
  const members = Array.isArray(doc['members']) ? doc['members'] : [];
  const values: string[] = [];
  let nonUser = false;
  for (const m of members) {
    if (!isObject(m) || typeof m['value'] !== 'string') continue;
    if (typeof m['type'] === 'string' && m['type'].toLowerCase() !== 'user') nonUser = true;
    values.push(m['value']);
  }
  return { values, nonUser };
}
