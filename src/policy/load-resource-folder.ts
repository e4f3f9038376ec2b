import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeIssues } from '../config/describe-issues.ts';
import { stipendResourceSchema, type StipendResource } from './resource.schema.ts';

export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
}

/** Reads every `.yaml`/`.yml` file of a folder (multi-document) as Stipend custom resources. */
export async function loadResourceFolder(folder: string): Promise<StipendResource[]> {
  const files = (await readdir(folder)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const resources: StipendResource[] = [];
  for (const file of files) {
    resources.push(...parseResources(await readFile(join(folder, file), 'utf8'), file));
  }
  const seen = new Set<string>();
  for (const r of resources) {
    const key = `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`;
    if (seen.has(key)) throw new PolicyFileError(`${key} is declared twice`);
    seen.add(key);
  }
  return resources;
}

export function parseResources(text: string, source: string): StipendResource[] {
  const out: StipendResource[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) throw new PolicyFileError(`${source}: document ${index + 1}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const parsed = stipendResourceSchema.safeParse(value);
    if (!parsed.success) throw new PolicyFileError(`${source}: document ${index + 1}: ${describeIssues(parsed.error, '(root)')}`);
    out.push(parsed.data);
  });
  return out;
}
