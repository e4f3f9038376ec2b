// What BambooHR answers, checked before anything is applied: a directory is
// {fields, employees}, a custom report {title, fields, employees}; every employee has an
// id and only scalar values (a report holds exactly the fields asked for).
import { z } from 'zod';

const fieldSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), type: z.string().optional(), name: z.string().optional() });

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const employeeSchema = z
  .record(z.string(), scalar)
  .refine((row) => (typeof row.id === 'string' && row.id.trim() !== '') || (typeof row.id === 'number' && Number.isInteger(row.id)), { message: 'an employee without an id' });

export type BambooHrRow = z.infer<typeof employeeSchema>;

export const directorySchema = z.object({ fields: z.array(fieldSchema), employees: z.array(employeeSchema) });
export const reportSchema = z.object({ title: z.string().optional(), fields: z.array(fieldSchema), employees: z.array(employeeSchema) });

export interface BambooHrListing {
  /** The field ids the answer carries (a report leaves out fields it does not know or may not show). */
  readonly fields: ReadonlySet<string>;
  readonly employees: readonly BambooHrRow[];
}

/** The listing, or a one-line description of what is wrong with it. */
export function parseListing(schema: typeof directorySchema | typeof reportSchema, json: unknown): BambooHrListing | string {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
  }
  return { fields: new Set(parsed.data.fields.map((f) => f.id)), employees: parsed.data.employees };
}
