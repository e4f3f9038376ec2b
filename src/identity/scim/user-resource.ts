import { ZodError } from 'zod';
import type { JobLevelMapping } from '../people/job-level.ts';
import { jobLevelFrom } from '../people/job-level.ts';
import { personRecordSchema, type PersonRecord } from '../people/person-record.schema.ts';
import { matchesElement } from './filter/evaluate.ts';
import { parsePatchPath } from './filter/filter.ts';
import { isObject, type Doc } from './schema/normalize.ts';
import { ENTERPRISE_USER_SCHEMA, STIPEND_USER_SCHEMA, USER_SCHEMA, USER_TYPE } from './schema/resource-types.ts';
import { containerOf, resolvePath } from './schema/resolve.ts';
import { badRequest } from './scim-errors.ts';
import type { GroupRef, UserRow } from './users.repository.ts';

/** Weak ETag from the row version (RFC 7644 §3.14). */
export const etagOf = (version: number) => `W/"${version}"`;

/** The User resource: what the client wrote, plus what the server owns (id, groups, jobLevel, meta). */
export function renderUser(row: UserRow, groups: readonly GroupRef[], base: string): Doc {
  const doc = isObject(row.source_document) ? row.source_document : {};
  const { [ENTERPRISE_USER_SCHEMA]: enterprise, [STIPEND_USER_SCHEMA]: _stipend, ...core } = doc;
  const schemas = [USER_SCHEMA];
  // Attributes in schema order (externalId and userName first), as clients list them.
  const out: Doc = { schemas, id: row.scim_id };
  if (core['externalId'] !== undefined) out['externalId'] = core['externalId'];
  // `active` as the person row has it (the same value, once written); absent if never given (then active).
  for (const def of USER_TYPE.schema.attributes) if (core[def.name] !== undefined) out[def.name] = def.name === 'active' ? row.active : core[def.name];
  if (groups.length > 0) {
    out['groups'] = groups.map((g) => ({ value: g.scimId, $ref: `${base}/Groups/${g.scimId}`, display: g.displayName, type: 'direct' }));
  }
  if (isObject(enterprise)) {
    schemas.push(ENTERPRISE_USER_SCHEMA);
    out[ENTERPRISE_USER_SCHEMA] = enterprise;
  }
  if (row.job_level !== null) {
    schemas.push(STIPEND_USER_SCHEMA);
    out[STIPEND_USER_SCHEMA] = { jobLevel: row.job_level };
  }
  out['meta'] = {
    resourceType: 'User',
    created: row.created_at.toISOString(),
    lastModified: row.updated_at.toISOString(),
    location: `${base}/Users/${row.scim_id}`,
    version: etagOf(row.version),
  };
  return out;
}

/**
 * The person a User describes. Stipend knows people by email: the primary address, else
 * the work one, else the first, else the userName (a directory may leave emails out).
 * jobLevel: the Stipend extension's value, else the configured mapping (e.g. from title).
 */
export function personFromUser(doc: Readonly<Doc>, mapping: JobLevelMapping | undefined): PersonRecord {
  const enterprise = isObject(doc[ENTERPRISE_USER_SCHEMA]) ? (doc[ENTERPRISE_USER_SCHEMA] as Doc) : {};
  const stipend = isObject(doc[STIPEND_USER_SCHEMA]) ? (doc[STIPEND_USER_SCHEMA] as Doc) : {};
  const name = isObject(doc['name']) ? (doc['name'] as Doc) : {};
  const manager = isObject(enterprise['manager']) ? (enterprise['manager'] as Doc) : {};
  const explicitLevel = typeof stipend['jobLevel'] === 'number' ? stipend['jobLevel'] : null;
  const jobLevel = explicitLevel ?? (mapping ? jobLevelFrom(valueAt(doc, mapping.from), mapping) : null);
  try {
    return personRecordSchema.parse({
      email: identityEmail(doc),
      userName: doc['userName'],
      externalId: doc['externalId'],
      displayName: doc['displayName'] ?? name['formatted'],
      givenName: name['givenName'],
      familyName: name['familyName'],
      title: doc['title'],
      department: enterprise['department'],
      division: enterprise['division'],
      costCenter: enterprise['costCenter'],
      employeeNumber: enterprise['employeeNumber'],
      employeeType: doc['userType'],
      managerRef: manager['value'],
      managerName: manager['displayName'],
      jobLevel,
      active: doc['active'] ?? true,
    });
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0]!;
      const field = issue.path.join('.') === 'jobLevel' ? `${STIPEND_USER_SCHEMA}:jobLevel` : issue.path.join('.');
      throw badRequest('invalidValue', `"${field}": ${issue.message}`);
    }
    throw error;
  }
}

function identityEmail(doc: Readonly<Doc>): unknown {
  const emails = (Array.isArray(doc['emails']) ? doc['emails'] : []).filter((e): e is Doc => isObject(e) && typeof e['value'] === 'string' && e['value'].trim() !== '');
  const pick = emails.find((e) => e['primary'] === true) ?? emails.find((e) => typeof e['type'] === 'string' && e['type'].toLowerCase() === 'work') ?? emails[0];
  return pick?.['value'] ?? doc['userName'];
}

/** The first value an attribute path (`title`, `urn:…:division`, `emails[type eq "work"].value`) reaches in a User. */
export function valueAt(doc: Readonly<Doc>, pathText: string): unknown {
  const parsed = parsePatchPath(pathText);
  const r = resolvePath(USER_TYPE, parsed.path, 'invalidPath');
  let value = containerOf(doc, r.container)?.[r.def.name];
  if (Array.isArray(value)) {
    const elements = parsed.filter ? value.filter((e) => isObject(e) && matchesElement(parsed.filter!, e, r.def)) : value;
    value = elements.find((e) => isObject(e) && e['primary'] === true) ?? elements[0];
  }
  const sub = parsed.sub ?? r.sub?.name ?? (r.def.type === 'complex' ? 'value' : null);
  if (sub !== null && isObject(value)) {
    const key = Object.keys(value).find((k) => k.toLowerCase() === sub.toLowerCase());
    value = key === undefined ? undefined : value[key];
  }
  return value;
}
