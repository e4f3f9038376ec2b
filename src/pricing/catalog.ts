import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SHIPPED_CATALOG } from './catalog.data.ts';
import { catalogEntrySchema, catalogFileSchema, type CatalogEntryInput, type PricedModel } from './catalog.schema.ts';

export type Provider = PricedModel['provider'];

export interface ResolvedModel {
  readonly provider: Provider;
  readonly model: string; // canonical id
  readonly price: PricedModel | null; // null: unpriced (blocked by default)
}

export interface Catalog {
  resolve(requested: string): ResolvedModel | null;
  list(): readonly PricedModel[];
}

export class CatalogFileError extends Error {
  override readonly name = 'CatalogFileError';
}

const PROVIDERS: readonly Provider[] = ['openai', 'anthropic', 'google'];
const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
const PREFIXES: readonly [RegExp, Provider][] = [
  [/^(gpt-|chatgpt-|o\d|text-embedding-|davinci|babbage)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'google'],
];

/** Overrides replace shipped entries with the same (provider, model), or add new ones. */
export function createCatalog(entries: readonly PricedModel[], overrides: readonly PricedModel[] = []): Catalog {
  const byKey = new Map<string, PricedModel>();
  for (const e of [...entries, ...overrides]) byKey.set(`${e.provider}/${e.model}`, e);
  const byName = new Map<string, PricedModel>();
  for (const e of byKey.values()) {
    byName.set(e.model, e);
    for (const alias of e.aliases) byName.set(alias, e);
  }
  const list = [...byKey.values()];

  const lookup = (name: string, provider?: Provider): PricedModel | undefined => {
    const hit = byName.get(name) ?? byName.get(name.replace(DATED, ''));
    return hit && (!provider || hit.provider === provider) ? hit : undefined;
  };

  return {
    list: () => list,
    resolve(requested) {
      const slash = requested.indexOf('/');
      if (slash > 0) {
        const provider = requested.slice(0, slash) as Provider;
        const name = requested.slice(slash + 1);
        if (!PROVIDERS.includes(provider) || !name) return null;
        const hit = lookup(name, provider);
        return hit ? { provider, model: hit.model, price: hit } : { provider, model: name, price: null };
      }
      const hit = lookup(requested);
      if (hit) return { provider: hit.provider, model: hit.model, price: hit };
      const inferred = PREFIXES.find(([re]) => re.test(requested))?.[1];
      return inferred ? { provider: inferred, model: requested, price: null } : null;
    },
  };
}

export function parseCatalogEntries(entries: readonly CatalogEntryInput[]): PricedModel[] {
  return entries.map((e) => catalogEntrySchema.parse(e));
}

let shipped: Catalog | undefined;
export function defaultCatalog(): Catalog {
  shipped ??= createCatalog(parseCatalogEntries(SHIPPED_CATALOG));
  return shipped;
}

/** Reads an operator's overrides (YAML or JSON: a list, or `{models: [...]}`), with errors that name the entry. */
export function loadCatalogOverrides(path: string): PricedModel[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CatalogFileError(`${path}: cannot read pricing overrides: ${(error as Error).message}`);
  }
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CatalogFileError(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
