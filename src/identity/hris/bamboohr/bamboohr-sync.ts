// `stipend hris sync bamboohr`: everything is fetched and checked first (a failure there
// changes nothing), then applied in one transaction by the shared people sync.
import type { Db } from '../../../db/database.ts';
import type { HrisEmployee, HrisSkip } from '../hris-employee.ts';
import { syncPeople, type LeaverLimit, type SyncOutcome } from '../sync-people.ts';
import { BambooHrError, requestJson, type BambooHrConnection, type RetryIo } from './bamboohr-client.ts';
import { isSkip, REQUIRED_FIELDS, reportFieldsFor, toHrisEmployee, type BambooHrFieldPlan, type BambooHrSource } from './bamboohr-employee.ts';
import { directorySchema, parseListing, reportSchema, type BambooHrListing } from './bamboohr-response.schema.ts';

export interface BambooHrSettings {
  readonly connection: BambooHrConnection;
  readonly plan: BambooHrFieldPlan;
  readonly source: BambooHrSource;
}

export interface BambooHrPull {
  readonly employees: readonly HrisEmployee[];
  readonly skipped: readonly HrisSkip[];
}

const WHAT: Readonly<Record<BambooHrSource, string>> = { report: 'the custom report', directory: 'the employee directory' };

async function fetchListing(settings: BambooHrSettings, io: RetryIo): Promise<BambooHrListing> {
  const { connection, plan, source } = settings;
  const what = WHAT[source];
  const json =
    source === 'report'
      ? await requestJson(connection, io, {
          method: 'POST',
          path: '/reports/custom',
          // onlyCurrent: today's values of historical fields (department, title), not future-dated ones.
          query: { format: 'JSON', onlyCurrent: 'true' },
          body: { title: 'Stipend people sync', fields: reportFieldsFor(plan) },
          what,
        })
      : await requestJson(connection, io, { method: 'GET', path: '/employees/directory', what });
  const listing = parseListing(source === 'report' ? reportSchema : directorySchema, json);
  if (typeof listing === 'string') throw new BambooHrError('malformed', `BambooHR's answer for ${what} is not what its API documents: ${listing}`);
  // A report silently leaves out fields it does not know or may not show: a missing one would
  // make everyone look inactive, or move everyone out of their tier.
  const missing = [...REQUIRED_FIELDS[source], ...[plan.jobLevel?.from, plan.costCenterField].filter((f): f is string => f !== undefined)].filter((f) => !listing.fields.has(f));
  if (missing.length > 0) {
    throw new BambooHrError(
      'malformed',
      `${what} has no field ${missing.map((f) => `"${f}"`).join(', ')}: ${source === 'directory' ? 'the directory offers only its own fields (use the report, the default)' : 'unknown to BambooHR, or hidden from the API key\'s user'}; check STIPEND_BAMBOOHR_JOB_LEVEL_FIELD / STIPEND_BAMBOOHR_COST_CENTER_FIELD and the user's access level`,
    );
  }
  return listing;
}

/** Every employee of the company, mapped and checked; nothing is written. */
export async function pullBambooHr(settings: BambooHrSettings, io: RetryIo): Promise<BambooHrPull> {
  const listing = await fetchListing(settings, io);
  const today = new Date(io.now()).toISOString().slice(0, 10);
  const employees: HrisEmployee[] = [];
  const skipped: HrisSkip[] = [];
  for (const row of listing.employees) {
    const mapped = toHrisEmployee(row, settings.source, settings.plan, today);
    if (isSkip(mapped)) skipped.push(mapped);
    else employees.push(mapped);
  }
  return { employees, skipped };
}

export async function syncBambooHr(db: Db, settings: BambooHrSettings, io: RetryIo, options: { readonly dryRun: boolean; readonly maxLeavers: LeaverLimit }): Promise<SyncOutcome> {
  const pull = await pullBambooHr(settings, io);
  return syncPeople(db, pull, { ...options, hrisName: 'BambooHR' });
}
