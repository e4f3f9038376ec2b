import { z } from 'zod';

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.trim())
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null);

/**
 * A person as a directory describes them, whatever the directory (a SCIM push, an HRIS
 * pull). The apply path (apply-person.ts) takes only this: it knows nothing of SCIM.
 * `email` is the person's identity in Stipend (keys, Budget `users`, ledger rows).
 */
export const personRecordSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .transform((s) => s.toLowerCase()),
  userName: text(320),
  externalId: text(512),
  displayName: text(512),
  givenName: text(256),
  familyName: text(256),
  title: text(512),
  department: text(512),
  division: text(512),
  costCenter: text(512),
  employeeNumber: text(256),
  employeeType: text(256),
  /** The manager's id in the directory (SCIM: the manager's User id; HRIS: an employee id). */
  managerRef: text(512),
  managerName: text(512),
  jobLevel: z.number().int().min(0).max(2_147_483_647).nullable().default(null),
  active: z.boolean(),
});

export type PersonRecordInput = z.input<typeof personRecordSchema>;
export type PersonRecord = z.output<typeof personRecordSchema>;

/** Where a person came from: YAML (Team members), a SCIM push, an HRIS pull. */
export type PersonSource = 'scim' | 'hris';
