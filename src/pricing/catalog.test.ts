import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogFileError, createCatalog, defaultCatalog, loadCatalogOverrides, parseCatalogEntries } from './catalog.ts';
import type { CatalogEntryInput } from './catalog.schema.ts';

const entry = (e: Partial<CatalogEntryInput> & Pick<CatalogEntryInput, 'provider' | 'model'>): CatalogEntryInput => ({
  input: '1.00',
  output: '2.00',
  maxOutputTokens: 1000,
  source: 'https://example.com/contract',
  checkedOn: '2026-11-01',
  ...e,
});

const dir = mkdtempSync(join(tmpdir(), 'stipend-catalog-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('resolve', () => {
  const catalog = defaultCatalog();

  it('finds a canonical id', () => {
    const r = catalog.resolve('gpt-4o-mini');
    expect(r).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(r?.price?.input).toBe(150_000_000n);
  });

  it('finds an alias and answers with the canonical id', () => {
    expect(catalog.resolve('claude-sonnet-4-5-20250929')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(catalog.resolve('gpt-4o-2024-08-06')).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    expect(catalog.resolve('gemini-3.1-flash-lite-preview')).toMatchObject({ provider: 'google', model: 'gemini-3.1-flash-lite' });
  });

  it('accepts provider/model, and the Gemini resource name form', () => {
    expect(catalog.resolve('openai/gpt-4o-mini')).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(catalog.resolve('anthropic/claude-sonnet-4-5')?.price?.output).toBe(15_000_000_000n);
    expect(catalog.resolve('google/gemini-2.5-flash')?.price?.output).toBe(2_500_000_000n);
    expect(catalog.resolve('anthropic/claude-haiku-4-5-20251001')).toMatchObject({ model: 'claude-haiku-4-5' });
    expect(catalog.resolve('models/gemini-2.5-flash')).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash' });
  });

  it('strips the date of a snapshot it does not list', () => {
    expect(catalog.resolve('gpt-4o-2099-01-31')).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    expect(catalog.resolve('claude-opus-4-8-20991231')).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-8' });
    expect(catalog.resolve('openai/gpt-6.1-sol-2099-01-01')).toMatchObject({ provider: 'openai', model: 'gpt-6.1-sol' });
    // A snapshot listed on its own keeps its own price rather than its family's.
    expect(catalog.resolve('gpt-4o-2024-05-13')?.price?.input).toBe(5_000_000_000n);
    // Only a date is stripped: other suffixes name other models.
    expect(catalog.resolve('gpt-4o-mini-audio-preview')).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini-audio-preview', price: null });
  });

  it('leaves a model of a known provider unpriced', () => {
    expect(catalog.resolve('openai/some-new-model')).toMatchObject({ provider: 'openai', model: 'some-new-model', price: null });
    expect(catalog.resolve('gpt-7')).toMatchObject({ provider: 'openai', model: 'gpt-7', price: null });
    expect(catalog.resolve('o3-pro-2025-06-10')).toMatchObject({ provider: 'openai', model: 'o3-pro-2025-06-10', price: null });
    expect(catalog.resolve('chatgpt-4o-latest')).toMatchObject({ provider: 'openai', model: 'chatgpt-4o-latest', price: null });
    expect(catalog.resolve('text-embedding-ada-002')).toMatchObject({ provider: 'openai', model: 'text-embedding-ada-002', price: null });
    expect(catalog.resolve('claude-mythos-5-2')).toMatchObject({ provider: 'anthropic', model: 'claude-mythos-5-2', price: null });
    expect(catalog.resolve('gemini-9-ultra')).toMatchObject({ provider: 'google', model: 'gemini-9-ultra', price: null });
    // A prefix that contradicts the catalog does not borrow another provider's price.
    expect(catalog.resolve('google/gpt-4o')).toMatchObject({ provider: 'google', model: 'gpt-4o', price: null });
  });

  it("answers the provider's own id: what the client asked for, without provider/ or models/", () => {
    expect(catalog.resolve('openai/gpt-4o')?.providerModelId).toBe('gpt-4o');
    expect(catalog.resolve('gpt-4o-2024-08-06')).toMatchObject({ model: 'gpt-4o', providerModelId: 'gpt-4o-2024-08-06' });
    expect(catalog.resolve('anthropic/claude-sonnet-4-5-20250929')?.providerModelId).toBe('claude-sonnet-4-5-20250929');
    expect(catalog.resolve('models/gemini-2.5-flash')?.providerModelId).toBe('gemini-2.5-flash');
    expect(catalog.resolve('google/gemini-2.5-flash')?.providerModelId).toBe('gemini-2.5-flash');
    expect(catalog.resolve('openai/some-new-model')?.providerModelId).toBe('some-new-model');
  });

  it('knows nothing of other names', () => {
    for (const name of ['llama-3', 'mistral/mistral-large', 'models/', 'openai/', '', 'GPT-4O', 'foo/bar/baz']) expect(catalog.resolve(name)).toBeNull();
  });
});

describe('createCatalog', () => {
  const shipped = parseCatalogEntries([entry({ provider: 'openai', model: 'm-1', aliases: ['m-one'] }), entry({ provider: 'anthropic', model: 'claude-c' })]);

  it('lets an override replace a model, its price and its aliases', () => {
    const catalog = createCatalog(shipped, parseCatalogEntries([entry({ provider: 'openai', model: 'm-1', input: '0.50', aliases: ['m-uno'] })]));
    expect(catalog.resolve('m-1')?.price?.input).toBe(500_000_000n);
    expect(catalog.resolve('m-uno')).toMatchObject({ model: 'm-1' });
    expect(catalog.resolve('m-one')).toBeNull();
    expect(catalog.list()).toHaveLength(2);
  });

  it('lets an override add a model', () => {
    const catalog = createCatalog(shipped, parseCatalogEntries([entry({ provider: 'google', model: 'tuned-model' })]));
    expect(catalog.resolve('tuned-model')).toMatchObject({ provider: 'google', model: 'tuned-model' });
    expect(catalog.resolve('google/tuned-model')?.price?.output).toBe(2_000_000_000n);
    expect(catalog.list().map((m) => m.model)).toEqual(['m-1', 'claude-c', 'tuned-model']);
  });

  it('prefers a canonical id over another entry’s alias', () => {
    const catalog = createCatalog(shipped, parseCatalogEntries([entry({ provider: 'openai', model: 'm-2', aliases: ['m-1'] })]));
    expect(catalog.resolve('m-1')).toMatchObject({ model: 'm-1' });
  });
});

describe('loadCatalogOverrides', () => {
  it('reads YAML, as a list or under models:, and replaces and adds on top of the shipped catalog', () => {
    const yaml = file(
      'prices.yaml',
      `models:
  - provider: openai
    model: gpt-4o-mini        # negotiated price
    input: "0.10"
    cachedInput: "0.05"
    output: "0.40"
    maxOutputTokens: 16384
    source: https://example.com/contract-42
    checkedOn: "2026-11-01"
  - { provider: openai, model: ft-acme-support, aliases: [acme], input: "3.00", output: "12.00", maxOutputTokens: 4096, source: "https://example.com/contract-42", checkedOn: "2026-11-01" }
`,
    );
    const overrides = loadCatalogOverrides(yaml);
    const custom = createCatalog(defaultCatalog().list(), overrides);
    expect(custom.resolve('gpt-4o-mini')?.price?.input).toBe(100_000_000n);
    expect(custom.resolve('gpt-4o-mini-2024-07-18')?.price?.input).toBe(100_000_000n); // the override has no aliases: the date is stripped
    expect(custom.resolve('acme')).toMatchObject({ model: 'ft-acme-support' });
    expect(custom.list()).toHaveLength(defaultCatalog().list().length + 1);
    expect(loadCatalogOverrides(file('list.yml', `- { provider: google, model: g, input: "1", output: "1", maxOutputTokens: 1, source: "https://e.com", checkedOn: "2026-01-01" }\n`))).toHaveLength(1);
  });

  it('reads JSON', () => {
    const json = file('prices.json', JSON.stringify([entry({ provider: 'anthropic', model: 'claude-custom' })]));
    expect(loadCatalogOverrides(json)[0]).toMatchObject({ model: 'claude-custom', input: 1_000_000_000n });
  });

  it('names the file, the entry and the field of every mistake', () => {
    const bad = file(
      'bad.json',
      JSON.stringify([entry({ provider: 'openai', model: 'fine' }), { ...entry({ provider: 'openai', model: 'broken' }), input: '1,50', checkedOn: 'yesterday' }, { model: 'no-provider' }]),
    );
    expect(() => loadCatalogOverrides(bad)).toThrow(CatalogFileError);
    const message = (() => {
      try {
        loadCatalogOverrides(bad);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain(`${bad}: invalid pricing overrides`);
    expect(message).toContain('entry 1 (openai/broken): input: must be a USD amount per 1M tokens like "2.50"');
    expect(message).toContain('checkedOn: must be a date like "2026-11-22"');
    expect(message).toMatch(/entry 2 \(no-provider\): provider: /);
    expect(message).not.toContain('entry 0');
  });

  it('rejects duplicates, a wrong shape, bad syntax and a missing file', () => {
    const twice = entry({ provider: 'openai', model: 'twice' });
    expect(() => loadCatalogOverrides(file('dup.json', JSON.stringify([twice, twice])))).toThrow(/entry 1 \(openai\/twice\): duplicates entry 0/);
    expect(() => loadCatalogOverrides(file('shape.yaml', 'gpt-4o: "2.50"\n'))).toThrow(/expected a list of models or \{ models: \[...\] \}/);
    expect(() => loadCatalogOverrides(file('empty.yaml', ''))).toThrow(/expected a list of models/);
    expect(() => loadCatalogOverrides(file('syntax.yaml', 'models: [\n'))).toThrow(/syntax\.yaml: cannot read pricing overrides/);
    expect(() => loadCatalogOverrides(file('syntax.json', '[{'))).toThrow(/syntax\.json: cannot read pricing overrides/);
    expect(() => loadCatalogOverrides(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read pricing overrides: ENOENT/);
  });
});
