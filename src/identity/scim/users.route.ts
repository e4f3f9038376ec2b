import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { applyPersonIn, removePersonIn } from '../people/apply-person.ts';
import type { JobLevelMapping } from '../people/job-level.ts';
import { listResources, type ListSource } from './list-resources.ts';
import { parseListQuery } from './list-query.ts';
import { normalizeResource, type Doc } from './schema/normalize.ts';
import { applyPatch } from './schema/patch.ts';
import { parseProjection, project } from './schema/project.ts';
import { USER_SCHEMA, USER_TYPE } from './schema/resource-types.ts';
import { badRequest, notFound, ScimError } from './scim-errors.ts';
import { baseUrlOf, checkIfMatch, notModified, send } from './scim-http.ts';
import { personFromUser, renderUser } from './user-resource.ts';
import {
  allUsers,
  countUsers,
  findUser,
  findUsersBy,
  groupsOfPeople,
  pageOfUsers,
  personWithEmail,
  userNameTaken,
  type UserRow,
} from './users.repository.ts';

export interface UserRouteOptions {
  readonly db: Db;
  readonly baseUrl: string | undefined;
  readonly jobLevel: JobLevelMapping | undefined;
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** /Users: people provisioned by the IdP. Every write goes through the people apply path (joiner/mover/leaver). */
export function userRoutes(app: FastifyInstance, options: UserRouteOptions): void {
  const { db } = options;
  const base = (request: FastifyRequest) => baseUrlOf(request, options.baseUrl);

  const render = async (tx: Db, rows: readonly UserRow[], request: FastifyRequest) => {
    const groups = await groupsOfPeople(tx, rows.map((r) => r.id));
    return rows.map((r) => renderUser(r, groups.get(r.id) ?? [], base(request)));
  };
  const source = (request: FastifyRequest): ListSource<UserRow> => ({
    rt: USER_TYPE,
    nameAttribute: 'userName',
    count: () => countUsers(db),
    page: (offset, limit) => pageOfUsers(db, offset, limit),
    lookup: (keys) => findUsersBy(db, { ids: keys.ids, userNames: keys.names, externalIds: keys.externalIds }),
    all: () => allUsers(db),
    render: (rows) => render(db, rows, request),
  });

  app.get('/Users', async (request, reply) => send(reply, 200, await listResources(parseListQuery(request.query, USER_TYPE), source(request))));
  app.post('/Users/.search', async (request, reply) => send(reply, 200, await listResources(parseListQuery(request.body, USER_TYPE), source(request))));

  app.get('/Users/:id', async (request: IdRequest, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const projection = parseProjection(USER_TYPE, query['attributes'], query['excludedAttributes']);
    const row = await findUser(db, request.params.id);
    if (!row) throw notFound(`No User with id "${request.params.id}".`);
    if (notModified(request, row.version)) return reply.status(304).send();
    const [doc] = await render(db, [row], request);
    return send(reply, 200, project(doc!, projection), row.version);
  });

  app.post('/Users', async (request, reply) => {
    const doc = normalizeResource(request.body, USER_TYPE, { requireSchemas: true });
    const row = await db.transaction().execute(async (tx) => write(tx, null, doc));
    const [out] = await render(db, [row], request);
    reply.header('location', `${base(request)}/Users/${row.scim_id}`);
    return send(reply, 201, out, row.version);
  });

  app.put('/Users/:id', async (request: IdRequest, reply) => {
    const doc = normalizeResource(request.body, USER_TYPE, { requireSchemas: true });
    const row = await db.transaction().execute(async (tx) => write(tx, await existing(tx, request), doc));
    const [out] = await render(db, [row], request);
    return send(reply, 200, out, row.version);
  });

  app.patch('/Users/:id', async (request: IdRequest, reply) => {
    const row = await db.transaction().execute(async (tx) => {
      const current = await existing(tx, request);
      const stored = (current.source_document ?? {}) as Doc;
      const next = applyPatch({ ...stored, active: current.active }, request.body, USER_TYPE, current.scim_id);
      return write(tx, current, normalizeResource({ schemas: [USER_SCHEMA], ...next }, USER_TYPE, { requireSchemas: false }));
    });
    const [out] = await render(db, [row], request);
    return send(reply, 200, out, row.version);
  });

  // A DELETE is a leaver: inactive, marked deleted, keys revoked; the person's ledger history stays.
  app.delete('/Users/:id', async (request: IdRequest, reply) => {
    await db.transaction().execute(async (tx) => removePersonIn(tx, (await existing(tx, request)).id));
    return reply.status(204).send();
  });

  async function existing(tx: Db, request: IdRequest): Promise<UserRow> {
    const row = await findUser(tx, request.params.id, { lock: true });
    if (!row) throw notFound(`No User with id "${request.params.id}".`);
    checkIfMatch(request, row.version);
    return row;
  }

  /** Creates (previous null) or replaces a User, in the caller's transaction. */
  async function write(tx: Db, previous: UserRow | null, doc: Doc): Promise<UserRow> {
    const userName = doc['userName'];
    if (typeof userName !== 'string' || userName.trim() === '') throw badRequest('invalidValue', '"userName" is required.');
    if (await userNameTaken(tx, userName, previous?.id ?? null)) throw new ScimError(409, `A User with userName "${userName}" already exists.`, 'uniqueness');
    const record = personFromUser(doc, options.jobLevel);
    const holder = await personWithEmail(tx, record.email);
    const holderId = holder ? BigInt(holder.id) : null;
    if (holder && holderId !== previous?.id && (previous !== null || (holder.source === 'scim' && holder.deleted_at === null))) {
      throw new ScimError(409, `Another person already has the email ${record.email}.`, 'uniqueness');
    }
    // A new User whose email a YAML (or HRIS) person has adopts that person: same keys, same history.
    const change = await applyPersonIn(tx, { source: 'scim', match: previous ? { personId: previous.id } : 'email', record, document: doc });
    const row = await findUserByPerson(tx, change.personId);
    return row;
  }

  async function findUserByPerson(tx: Db, personId: bigint): Promise<UserRow> {
    const row = await tx.selectFrom('people').select('scim_id').where('id', '=', personId).executeTakeFirstOrThrow();
    const user = await findUser(tx, row.scim_id);
    if (!user) throw new Error(`person ${personId} is not visible to SCIM after a write`);
    return user;
  }
}
