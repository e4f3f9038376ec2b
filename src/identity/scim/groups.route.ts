import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { applyGroupChangeIn } from '../people/apply-person.ts';
import { memberValues, renderGroup } from './group-resource.ts';
import {
  allGroups,
  countGroups,
  deleteGroup,
  displayNameTaken,
  findGroup,
  findGroupsBy,
  insertGroup,
  membersOf,
  pageOfGroups,
  setMembers,
  touchGroup,
  updateGroup,
  type GroupRow,
} from './groups.repository.ts';
import { listResources, type ListSource } from './list-resources.ts';
import { parseListQuery, type ListQuery } from './list-query.ts';
import { normalizeResource, type Doc } from './schema/normalize.ts';
import { applyPatch } from './schema/patch.ts';
import { parseProjection, project, type Projection } from './schema/project.ts';
import { GROUP_SCHEMA, GROUP_TYPE } from './schema/resource-types.ts';
import { badRequest, notFound, ScimError } from './scim-errors.ts';
import { baseUrlOf, checkIfMatch, notModified, send } from './scim-http.ts';
import { peopleByScimIds } from './users.repository.ts';

export interface GroupRouteOptions {
  readonly db: Db;
  readonly baseUrl: string | undefined;
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** Members are left out of what is loaded when the request excludes them (Entra asks `excludedAttributes=members`). */
const wantsMembers = (projection: Projection) =>
  !projection.exclude.some((s) => s.kind === 'path' && s.path.def.name === 'members' && !s.path.sub) &&
  (projection.include === null || projection.include.some((s) => s.kind === 'path' && s.path.def.name === 'members'));

/** /Groups: directory groups; Team memberSelector `groups` selects their members. */
export function groupRoutes(app: FastifyInstance, options: GroupRouteOptions): void {
  const { db } = options;
  const base = (request: FastifyRequest) => baseUrlOf(request, options.baseUrl);

  const render = async (tx: Db, rows: readonly GroupRow[], request: FastifyRequest, withMembers: boolean) => {
    const members = withMembers ? await membersOf(tx, rows.map((r) => r.id)) : null;
    return rows.map((r) => renderGroup(r, members ? (members.get(r.id) ?? []) : null, base(request)));
  };
  const source = (request: FastifyRequest, query: ListQuery): ListSource<GroupRow> => ({
    rt: GROUP_TYPE,
    nameAttribute: 'displayName',
    count: () => countGroups(db),
    page: (offset, limit) => pageOfGroups(db, offset, limit),
    lookup: (keys) => findGroupsBy(db, { ids: keys.ids, displayNames: keys.names, externalIds: keys.externalIds }),
    all: () => allGroups(db),
    // A filter or sort on members needs them even when the response leaves them out.
    render: (rows) => render(db, rows, request, wantsMembers(query.projection) || query.filter !== null || query.sortBy !== null),
  });
  const list = async (request: FastifyRequest, raw: unknown) => {
    const query = parseListQuery(raw, GROUP_TYPE);
    return listResources(query, source(request, query));
  };

  app.get('/Groups', async (request, reply) => send(reply, 200, await list(request, request.query)));
  app.post('/Groups/.search', async (request, reply) => send(reply, 200, await list(request, request.body)));

  app.get('/Groups/:id', async (request: IdRequest, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const projection = parseProjection(GROUP_TYPE, query['attributes'], query['excludedAttributes']);
    const row = await findGroup(db, request.params.id);
    if (!row) throw notFound(`No Group with id "${request.params.id}".`);
    if (notModified(request, row.version)) return reply.status(304).send();
    const [doc] = await render(db, [row], request, wantsMembers(projection));
    return send(reply, 200, project(doc!, projection), row.version);
  });

  app.post('/Groups', async (request, reply) => {
    const doc = normalizeResource(request.body, GROUP_TYPE, { requireSchemas: true });
    const row = await db.transaction().execute(async (tx) => write(tx, null, doc));
    const [out] = await render(db, [row], request, true);
    reply.header('location', `${base(request)}/Groups/${row.scim_id}`);
    return send(reply, 201, out, row.version);
  });

  app.put('/Groups/:id', async (request: IdRequest, reply) => {
    const doc = normalizeResource(request.body, GROUP_TYPE, { requireSchemas: true });
    const row = await db.transaction().execute(async (tx) => write(tx, await existing(tx, request), doc));
    const [out] = await render(db, [row], request, true);
    return send(reply, 200, out, row.version);
  });

  app.patch('/Groups/:id', async (request: IdRequest, reply) => {
    const row = await db.transaction().execute(async (tx) => {
      const current = await existing(tx, request);
      const members = (await membersOf(tx, [current.id])).get(current.id) ?? [];
      const stored = (current.source_document ?? {}) as Doc;
      const doc: Doc = { ...stored, displayName: current.display_name, ...(current.external_id ? { externalId: current.external_id } : {}) };
      if (members.length > 0) doc['members'] = members.map((m) => ({ value: m.scimId }));
      const next = applyPatch(doc, request.body, GROUP_TYPE, current.scim_id);
      return write(tx, current, normalizeResource({ schemas: [GROUP_SCHEMA], ...next }, GROUP_TYPE, { requireSchemas: false }));
    });
    const [out] = await render(db, [row], request, true);
    return send(reply, 200, out, row.version);
  });

  app.delete('/Groups/:id', async (request: IdRequest, reply) => {
    await db.transaction().execute(async (tx) => {
      const current = await existing(tx, request);
      await applyGroupChangeIn(tx, await deleteGroup(tx, current.id));
    });
    return reply.status(204).send();
  });

  async function existing(tx: Db, request: IdRequest): Promise<GroupRow> {
    const row = await findGroup(tx, request.params.id, { lock: true });
    if (!row) throw notFound(`No Group with id "${request.params.id}".`);
    checkIfMatch(request, row.version);
    return row;
  }

  async function write(tx: Db, previous: GroupRow | null, doc: Doc): Promise<GroupRow> {
    const displayName = doc['displayName'];
    if (typeof displayName !== 'string' || displayName.trim() === '') throw badRequest('invalidValue', '"displayName" is required.');
    if (await displayNameTaken(tx, displayName, previous?.id ?? null)) throw new ScimError(409, `A Group named "${displayName}" already exists.`, 'uniqueness');
    const { values, nonUser } = memberValues(doc);
    if (nonUser) throw badRequest('invalidValue', 'Group members must be Users: nested groups are not supported.');
    const people = await peopleByScimIds(tx, values);
    const unknown = values.find((v) => !people.has(v.toLowerCase()));
    if (unknown !== undefined) throw badRequest('invalidValue', `No User with id "${unknown}" (members must be provisioned Users).`);
    const { members: _members, ...document } = doc;
    const externalId = typeof doc['externalId'] === 'string' ? doc['externalId'] : null;
    let row: GroupRow;
    if (previous) {
      const changedAttributes = displayName !== previous.display_name || externalId !== previous.external_id || !isDeepStrictEqual(document, previous.source_document ?? {});
      if (changedAttributes) await updateGroup(tx, previous.id, { displayName, externalId, document });
      row = previous;
    } else {
      row = await insertGroup(tx, { displayName, externalId, document });
    }
    const memberIds = [...new Set(values.map((v) => people.get(v.toLowerCase())!))];
    const changed = await setMembers(tx, row.id, memberIds);
    if (previous && changed.length > 0) await touchGroup(tx, row.id);
    // A renamed group may stop (or start) matching a Team's memberSelector: all its members are affected.
    const renamed = previous !== null && displayName.toLowerCase() !== previous.display_name.toLowerCase();
    await applyGroupChangeIn(tx, renamed ? [...new Set([...changed, ...memberIds])] : changed);
    return (await findGroup(tx, row.scim_id))!;
  }
}
