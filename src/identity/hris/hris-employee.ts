import type { PersonRecord } from '../people/person-record.schema.ts';

/** One employee of an HRIS, normalized: what the people sync applies. */
export interface HrisEmployee {
  /** The HRIS's own id for the employee (kept as the person's external id). */
  readonly externalId: string;
  readonly record: PersonRecord;
  /** The employee as the HRIS sent it, kept on the person (fields without a column, e.g. location). */
  readonly document: unknown;
  /** Why `record.active` is false, for the report: "status Inactive", "terminated 2026-03-01". */
  readonly inactiveReason?: string;
}

/** An employee the sync leaves alone, and why. */
export interface HrisSkip {
  readonly externalId: string;
  readonly email: string | null;
  readonly reason: string;
}
