import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_CATALOG } from './catalog.data.ts';
import { CatalogFileError, createCatalog, defaultCatalog, loadCatalogOverrides, parseCatalogEntries } from './catalog.ts';

describe('catalog', () => {
  const catalog = defaultCatalog();

  it('resolves ids, aliases, provider/model and dated snapshots', () => {
    expect(catalog.resolve('gpt-4o-mini')).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(catalog.resolve('claude-sonnet-4-5-20250929')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(catalog.resolve('anthropic/claude-haiku-4-5')?.price?.input).toBe(1_000_000_000n);
    expect(catalog.resolve('gpt-4.1-mini-2025-04-14')).toMatchObject({ model: 'gpt-4.1-mini' });
    expect(catalog.resolve('google/gemini-2.5-flash')?.price?.output).toBe(2_500_000_000n);
  });

  it('returns unpriced for an unknown model of a known provider, null for anything else', () => {
    expect(catalog.resolve('openai/gpt-brand-new')).toEqual({ provider: 'openai', model: 'gpt-brand-new', price: null });
    expect(catalog.resolve('gpt-7')).toEqual({ provider: 'openai', model: 'gpt-7', price: null });
    expect(catalog.resolve('claude-unknown')).toMatchObject({ provider: 'anthropic', price: null });
    expect(catalog.resolve('llama-3')).toBeNull();
    expect(catalog.resolve('mistral/foo')).toBeNull();
    // A provider prefix that contradicts the catalog does not borrow another provider's price.
    expect(catalog.resolve('google/gpt-4o')).toEqual({ provider: 'google', model: 'gpt-4o', price: null });
  });

  it('ships every entry with a source, a date and non-negative prices', () => {
    const entries = parseCatalogEntries(SHIPPED_CATALOG);
    expect(entries.length).toBeGreaterThan(35);
    for (const e of entries) {
      expect(e.source).toMatch(/^https:\/\//);
      expect(e.checkedOn).toBe('2026-11-22');
      expect(e.input).toBeGreaterThanOrEqual(0n);
      if (e.kind === 'chat') expect(e.maxOutputTokens).toBeGreaterThan(0);
    }
  });

  it('overrides replace and add models', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'prices.yaml');
    await writeFile(
      file,
      `models:
  - { provider: openai, model: gpt-4o-mini, input: "0.10", output: "0.40", maxOutputTokens: 1000, source: "https://example.com/contract", checkedOn: "2026-11-01" }
  - { provider: openai, model: ft-acme-support, input: "3.00", output: "12.00", maxOutputTokens: 4096, source: "https://example.com/contract", checkedOn: "2026-11-01" }
`,
    );
    const custom = createCatalog(defaultCatalog().list(), loadCatalogOverrides(file));
    expect(custom.resolve('gpt-4o-mini')?.price?.input).toBe(100_000_000n);
    expect(custom.resolve('ft-acme-support')?.price?.output).toBe(12_000_000_000n);
    expect(custom.list().length).toBe(defaultCatalog().list().length + 1);
  });

  it('rejects a bad override file with a message naming the entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify([{ provider: 'openai', model: 'x', input: '1,50', maxOutputTokens: 1, source: 'https://e.com', checkedOn: '2026-01-01' }]));
    expect(() => loadCatalogOverrides(file)).toThrow(CatalogFileError);
    expect(() => loadCatalogOverrides(file)).toThrow(/0\.input: must be a USD decimal/);
  });
});
