// A BambooHR employee as a Stipend person. The work email is the person's identity; the
// BambooHR employee id is kept as the external id (so a changed email moves the same
// person). A report employee can spend while their status is Active and their
// termination date (their last day) has not passed; the directory lists active employees only.
import { z } from 'zod';
import { jobLevelFrom, type JobLevelMapping } from '../../people/job-level.ts';
import { personRecordSchema } from '../../people/person-record.schema.ts';
import type { HrisEmployee, HrisSkip } from '../hris-employee.ts';
import type { BambooHrRow } from './bamboohr-response.schema.ts';

export type BambooHrSource = 'report' | 'directory';

/** Where the configurable attributes come from. */
export interface BambooHrFieldPlan {
  readonly jobLevel?: JobLevelMapping;
  readonly costCenterField?: string;
}

/** The standard fields a report asks for; the directory has what it has. */
export const REPORT_FIELDS = [
  'workEmail',
  'firstName',
  'lastName',
  'preferredName',
  'displayName',
  'jobTitle',
  'department',
  'division',
  'location',
  'status',
  'terminationDate',
  'employmentHistoryStatus',
  'employeeNumber',
  'supervisorEId',
  'supervisor',
  'supervisorEmail',
] as const;

/** Fields without which a sync would be wrong rather than incomplete. */
export const REQUIRED_FIELDS: Readonly<Record<BambooHrSource, readonly string[]>> = {
  report: ['workEmail', 'status'],
  directory: ['workEmail'],
};

export function reportFieldsFor(plan: BambooHrFieldPlan): string[] {
  const extra = [plan.jobLevel?.from, plan.costCenterField].filter((f): f is string => f !== undefined);
  return [...new Set<string>([...REPORT_FIELDS, ...extra])];
}

const email = z.email();

/** Text of a value: trimmed, empty as null; numbers as their digits; anything else null. */
function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' ? null : t;
}

/** A date field: YYYY-MM-DD, or null for BambooHR's "0000-00-00" (never set) and anything else. */
function date(value: unknown): string | null {
  const t = text(value);
  return t !== null && /^\d{4}-\d{2}-\d{2}$/.test(t) && t !== '0000-00-00' ? t : null;
}

/**
 * The person a BambooHR employee row describes, or why it is skipped. `today` (YYYY-MM-DD,
 * UTC) decides whether a termination date has passed.
 */
export function toHrisEmployee(row: BambooHrRow, source: BambooHrSource, plan: BambooHrFieldPlan, today: string): HrisEmployee | HrisSkip {
  const externalId = String(row.id);
  const workEmail = text(row.workEmail);
  if (workEmail === null) return { externalId, email: null, reason: 'no work email' };
  if (!email.safeParse(workEmail).success) return { externalId, email: workEmail, reason: 'the work email is not an email address' };

  let active = true;
  let inactiveReason: string | undefined;
  if (source === 'report') {
    const status = text(row.status);
    const terminated = date(row.terminationDate);
    if (status?.toLowerCase() !== 'active') {
      active = false;
      inactiveReason = `status ${status ?? 'empty'}`;
    } else if (terminated !== null && terminated < today) {
      active = false;
      inactiveReason = `terminated ${terminated}`;
    }
  }

  const preferred = text(row.preferredName);
  const first = text(row.firstName);
  const last = text(row.lastName);
  const shownFirst = preferred ?? first;
  const displayName = text(row.displayName) ?? ([shownFirst, last].filter((s) => s !== null).join(' ') || null);
  const parsed = personRecordSchema.safeParse({
    email: workEmail,
    externalId,
    displayName,
    givenName: shownFirst,
    familyName: last,
    title: text(row.jobTitle),
    department: text(row.department),
    division: text(row.division),
    costCenter: plan.costCenterField ? text(row[plan.costCenterField]) : null,
    employeeNumber: text(row.employeeNumber),
    employeeType: text(row.employmentHistoryStatus),
    managerRef: text(row.supervisorEId),
    managerName: text(row.supervisor),
    jobLevel: plan.jobLevel ? jobLevelFrom(row[plan.jobLevel.from] ?? null, plan.jobLevel) : null,
    active,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { externalId, email: workEmail.toLowerCase(), reason: `${issue?.path.join('.') ?? 'record'}: ${issue?.message ?? 'invalid'}` };
  }
  return { externalId, record: parsed.data, document: { bamboohr: row }, ...(inactiveReason ? { inactiveReason } : {}) };
}

export const isSkip = (e: HrisEmployee | HrisSkip): e is HrisSkip => 'reason' in e;
