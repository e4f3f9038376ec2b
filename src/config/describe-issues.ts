import type { z } from 'zod';

/**
 * Zod issues as one line: "path: message; …". An issue about the whole value carries no
 * path; `root` names it when the caller has a better word than nothing ("(root)", "(entry)").
 */
export function describeIssues(error: z.ZodError | readonly z.core.$ZodIssue[], root?: string): string {
  const issues = Array.isArray(error) ? (error as readonly z.core.$ZodIssue[]) : (error as z.ZodError).issues;
  return issues
    .map((i) => {
      const path = i.path.length > 0 ? i.path.join('.') : root;
      return `${path ? `${path}: ` : ''}${i.message}`;
    })
    .join('; ');
}
