import { z } from 'zod';

/**
 * Which directory value gives a person's job level, and how. Directories rarely carry a
 * numeric level: a table maps titles (or grades, bands…) to levels; without a table the
 * first integer in the value is taken ("L6" → 6, "6" → 6).
 */
export const jobLevelMappingSchema = z.strictObject({
  /** The source attribute (SCIM: an attribute path such as `title`; HRIS: a field name). */
  from: z.string().min(1).max(300),
  /** Value → level, compared trimmed and case-insensitively. */
  map: z.record(z.string(), z.number().int().min(0).max(1000)).optional(),
});

export type JobLevelMapping = z.infer<typeof jobLevelMappingSchema>;

/** The level a directory value maps to, or null when it maps to none. */
export function jobLevelFrom(value: unknown, mapping: JobLevelMapping): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 2_147_483_647 ? value : null;
  if (typeof value !== 'string') return null;
  const key = value.trim().toLowerCase();
  if (mapping.map) {
    for (const [name, level] of Object.entries(mapping.map)) if (name.trim().toLowerCase() === key) return level;
    return null;
  }
  const digits = /\d+/.exec(key)?.[0];
  if (digits === undefined) return null;
  const level = Number(digits);
  return level <= 2_147_483_647 ? level : null;
}
