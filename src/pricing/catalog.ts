import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SHIPPED_CATALOG } from './catalog.data.ts';
import { catalogEntrySchema, catalogFileSchema, PROVIDERS, type CatalogEntry, type CatalogEntryInput, type PricedModel, type Provider } from './catalog.schema.ts';

export type { CatalogEntry, CatalogEntryInput, PricedModel, Provider } from './catalog.schema.ts';

export interface ResolvedModel {
  readonly provider: Provider;
  readonly model: string; // canonical id
  readonly price: PricedModel | null; // null: unpriced (blocked by default)
  /** The id the provider is sent: what the client asked for, without `provider/` or `models/`. */
  readonly providerModelId: string;
  /**
   * `provider/model` names a policy matches this request by: the id asked for, its
   * canonical model, and both without a snapshot date. So `deny: ["openai/gpt-4o"]`
   * covers `gpt-4o-2024-05-13` (priced on its own) and `openai/gpt-4o-2099-01-31` alike.
   */
  readonly family: readonly string[];
}

export interface Catalog {
  /** What the client sent: an id or alias, `provider/model`, or a dated snapshot of a known model. */
  resolve(requested: string): ResolvedModel | null;
  list(): readonly PricedModel[];
  /** Entries that price a model on a cloud platform (operators' overrides with `platform`). */
  platformEntries(): readonly PricedModel[];
}

export class CatalogFileError extends Error {
  override readonly name = 'CatalogFileError';
}

// A snapshot suffix: gpt-4o-2024-08-06, claude-sonnet-4-5-20250929.
const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
// Names that say which provider they belong to even when the catalog has no price for them.
const PREFIXES: readonly (readonly [RegExp, Provider])[] = [
  [/^(gpt-|chatgpt-|o1|o3|o4|text-embedding-)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'google'],
];

const key = (provider: string, model: string): string => `${provider}/${model}`;
const isProvider = (name: string): name is Provider => (PROVIDERS as readonly string[]).includes(name);

/** The policy names of a request (see ResolvedModel.family), most specific first. */
function familyOf(provider: Provider, typed: string, canonical: string): readonly string[] {
  const names = [typed, canonical, typed.replace(DATED, ''), canonical.replace(DATED, '')];
  return [...new Set(names.filter(Boolean).map((n) => key(provider, n)))];
}

/** Overrides replace shipped entries with the same (provider, model), or add new ones. */
export function createCatalog(entries: readonly CatalogEntry[], overrides: readonly CatalogEntry[] = []): Catalog {
  const byKey = new Map<string, CatalogEntry>();
  // Platform prices never replace the provider's own price (src/pricing/platform-price.ts reads them).
  const onPlatforms = new Map<string, CatalogEntry>();
  for (const e of [...entries, ...overrides]) {
    if (e.platform === undefined) byKey.set(key(e.provider, e.model), e);
    else onPlatforms.set(`${key(e.provider, e.model)}@${e.platform}:${e.scope ?? '*'}`, e);
  }
  const platformList: readonly CatalogEntry[] = Object.freeze([...onPlatforms.values()]);
  const list: readonly CatalogEntry[] = Object.freeze([...byKey.values()]);

  // Aliases first, canonical ids last: an id always wins over another entry's alias.
  const byName = new Map<string, CatalogEntry>();
  for (const e of list) for (const alias of e.aliases) byName.set(alias, e);
  for (const e of list) byName.set(e.model, e);

  const lookup = (name: string): CatalogEntry | undefined => byName.get(name) ?? byName.get(name.replace(DATED, ''));

  const resolved = (provider: Provider, typed: string, model: string, price: PricedModel | null): ResolvedModel => ({
    provider,
    model,
    price,
    providerModelId: typed,
    family: familyOf(provider, typed, model),
  });

  return {
    list: () => list,
    platformEntries: () => platformList,
    resolve(requested) {
      // Gemini's resource name form: models/gemini-2.5-flash.
      const name = requested.startsWith('models/') ? requested.slice('models/'.length) : requested;
      const slash = name.indexOf('/');
      if (slash >= 0) {
        const provider = name.slice(0, slash);
        const model = name.slice(slash + 1);
        if (!isProvider(provider) || !model) return null;
        const hit = lookup(model);
        // A prefix that contradicts the catalog does not borrow another provider's price.
        return hit && hit.provider === provider ? resolved(provider, model, hit.model, hit) : resolved(provider, model, model, null);
      }
      if (!name) return null;
      const hit = lookup(name);
      if (hit) return resolved(hit.provider, name, hit.model, hit);
      const inferred = PREFIXES.find(([pattern]) => pattern.test(name))?.[1];
      return inferred ? resolved(inferred, name, name, null) : null;
    },
  };
}

export function parseCatalogEntries(entries: readonly CatalogEntryInput[]): CatalogEntry[] {
  return entries.map((e) => catalogEntrySchema.parse(e));
}

let shipped: Catalog | undefined;
/** The catalog shipped in catalog.data.ts. */
export function defaultCatalog(): Catalog {
  shipped ??= createCatalog(parseCatalogEntries(SHIPPED_CATALOG));
  return shipped;
}

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(entry)'}: ${i.message}`).join('; ');

const nameOf = (raw: unknown): string => {
  const e = raw !== null && typeof raw === 'object' ? (raw as { provider?: unknown; model?: unknown }) : {};
  return typeof e.model === 'string' ? ` (${typeof e.provider === 'string' ? `${e.provider}/` : ''}${e.model})` : '';
};

/**
 * Reads an operator's pricing overrides: YAML or JSON, a list of entries or
 * `{ models: [...] }`, each validated like the shipped catalog. Errors name the file,
 * the entry (index and model) and the field.
 */
export function loadCatalogOverrides(path: string): CatalogEntry[] {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CatalogFileError(`${path}: cannot read pricing overrides: ${(error as Error).message}`);
  }
  const file = catalogFileSchema.safeParse(raw);
  if (!file.success) throw new CatalogFileError(`${path}: expected a list of models or { models: [...] }`);

  const problems: string[] = [];
  const entries: CatalogEntry[] = [];
  const seen = new Map<string, number>();
  file.data.forEach((rawEntry, index) => {
    const parsed = catalogEntrySchema.safeParse(rawEntry);
    if (!parsed.success) {
      problems.push(`entry ${index}${nameOf(rawEntry)}: ${describeIssues(parsed.error.issues)}`);
      return;
    }
    const k = `${key(parsed.data.provider, parsed.data.model)}${parsed.data.platform ? `@${parsed.data.platform}:${parsed.data.scope ?? '*'}` : ''}`;
    const first = seen.get(k);
    if (first !== undefined) problems.push(`entry ${index} (${k}): duplicates entry ${first}`);
    seen.set(k, index);
    entries.push(parsed.data);
  });
  if (problems.length > 0) throw new CatalogFileError(`${path}: invalid pricing overrides: ${problems.join(' | ')}`);
  return entries;
}
