import { describe, expect, it } from 'vitest';
import { catalogEntrySchema, type CatalogEntryInput } from './catalog.schema.ts';

const base: CatalogEntryInput = {
  provider: 'openai',
  model: 'gpt-test',
  input: '2.50',
  cachedInput: '1.25',
  output: '10.00',
  maxOutputTokens: 16_384,
  source: 'https://developers.openai.com/api/docs/pricing',
  checkedOn: '2026-11-22',
};

const issues = (entry: unknown) => catalogEntrySchema.safeParse(entry).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('catalog entry schema', () => {
  it('parses USD per 1M tokens into bigint nano-dollars per 1M tokens', () => {
    const e = catalogEntrySchema.parse({ ...base, cacheWrite5m: '3.75', cacheWrite1h: '6', longContext: { aboveInputTokens: 272_000, input: '5.00', output: '0.000000001' } });
    expect(e.input).toBe(2_500_000_000n);
    expect(e.cachedInput).toBe(1_250_000_000n);
    expect(e.cacheWrite5m).toBe(3_750_000_000n);
    expect(e.cacheWrite1h).toBe(6_000_000_000n);
    expect(e.output).toBe(10_000_000_000n);
    expect(e.longContext).toEqual({ aboveInputTokens: 272_000, input: 5_000_000_000n, output: 1n });
  });

  it('defaults aliases to none and kind to chat', () => {
    const e = catalogEntrySchema.parse(base);
    expect(e.aliases).toEqual([]);
    expect(e.kind).toBe('chat');
    expect(catalogEntrySchema.parse({ ...base, aliases: ['gpt-test-2026-01-01'] }).aliases).toEqual(['gpt-test-2026-01-01']);
  });

  it('accepts an embedding without output price and with a zero output cap', () => {
    const e = catalogEntrySchema.parse({ ...base, kind: 'embedding', cachedInput: undefined, output: undefined, maxOutputTokens: 0 });
    expect(e.output).toBeUndefined();
    expect(e.maxOutputTokens).toBe(0);
  });

  it('rejects what would mis-bill', () => {
    expect(issues({ ...base, input: '1,50' })).toEqual(['input: must be a USD amount per 1M tokens like "2.50" (at most 9 decimals), got "1,50"']);
    expect(issues({ ...base, input: '-1' })[0]).toMatch(/^input: must be a USD amount/);
    expect(issues({ ...base, input: '0.0000000001' })[0]).toMatch(/at most 9 decimals/);
    expect(issues({ ...base, input: 2.5 })[0]).toMatch(/^input: /); // numbers would invite float rounding
    expect(issues({ ...base, output: undefined })).toEqual(['output: a chat model needs an output price']);
    expect(issues({ ...base, maxOutputTokens: 0 })).toEqual(['maxOutputTokens: a chat model needs a positive output cap']);
    expect(issues({ ...base, kind: 'embedding', output: undefined })).toEqual(['maxOutputTokens: an embedding model has maxOutputTokens 0']);
    expect(issues({ ...base, longContext: { aboveInputTokens: 1000, input: '5' } })).toEqual(['longContext.output: a chat model needs an output price in its long-context tier']);
    expect(issues({ ...base, longContext: { aboveInputTokens: 0, input: '5', output: '1' } })[0]).toMatch(/^longContext.aboveInputTokens: /);
    expect(issues({ ...base, provider: 'mistral' })[0]).toMatch(/^provider: /);
    expect(issues({ ...base, model: '' })[0]).toMatch(/^model: /);
    expect(issues({ ...base, maxOutputTokens: 1.5 })[0]).toMatch(/^maxOutputTokens: /);
    expect(issues({ ...base, source: 'the website' })[0]).toMatch(/^source: /);
    expect(issues({ ...base, checkedOn: '22/11/2026' })).toEqual(['checkedOn: must be a date like "2026-11-22"']);
    expect(issues({ ...base, checkedOn: '2026-02-30' })).toEqual(['checkedOn: must be a real calendar date']);
    expect(issues({ ...base, checkedOn: '2026-13-01' })).toEqual(['checkedOn: must be a real calendar date']);
    expect(issues({ ...base, inputPrice: '1' })[0]).toMatch(/Unrecognized key/); // a typo must not silently drop a price
  });
});
