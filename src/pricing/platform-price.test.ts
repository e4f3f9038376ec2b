import { describe, expect, it } from 'vitest';
import { createCatalog, defaultCatalog, parseCatalogEntries } from './catalog.ts';
import { parseUsd } from './money.ts';
import { priceOn } from './platform-price.ts';

const usd = parseUsd;

describe('prices where a model is served', () => {
  const catalog = defaultCatalog();
  const sonnet = catalog.resolve('claude-sonnet-4-5')!;

  it('the direct API and a global endpoint bill the provider price; a regional endpoint 10 % more, every rate and tier', () => {
    expect(priceOn(catalog, sonnet, null)).toBe(sonnet.price);
    const global = priceOn(catalog, sonnet, { platform: 'bedrock', scope: 'global' })!;
    expect([global.input, global.cachedInput, global.cacheWrite5m, global.cacheWrite1h, global.output]).toEqual([usd('3'), usd('0.30'), usd('3.75'), usd('6'), usd('15')]);
    expect(global.source).toBe('https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock');
    const regional = priceOn(catalog, sonnet, { platform: 'vertex-ai', scope: 'regional' })!;
    expect([regional.input, regional.cachedInput, regional.cacheWrite5m, regional.cacheWrite1h, regional.output]).toEqual([usd('3.30'), usd('0.33'), usd('4.125'), usd('6.60'), usd('16.50')]);
    expect(regional.longContext).toMatchObject({ aboveInputTokens: 200_000, input: usd('6.60'), output: usd('24.75') });
    expect(regional.maxOutputTokens).toBe(sonnet.price!.maxOutputTokens);
  });

  it('Azure: Global Standard where two transcriptions agree; Data Zone and unlisted models unpriced', () => {
    const mini = catalog.resolve('gpt-4o-mini')!;
    expect(priceOn(catalog, mini, { platform: 'azure-openai', scope: 'global' })).toMatchObject({ input: usd('0.15'), cachedInput: usd('0.075'), output: usd('0.60') });
    expect(priceOn(catalog, mini, { platform: 'azure-openai', scope: 'data-zone' })).toBeNull();
    expect(priceOn(catalog, catalog.resolve('gpt-5')!, { platform: 'azure-openai', scope: 'global' })).toBeNull();
    expect(priceOn(catalog, catalog.resolve('gemini-2.5-pro')!, { platform: 'vertex-ai', scope: 'regional' })).toBeNull();
  });

  it("an operator's platform entry wins (a scope-specific one over an all-scopes one), and never replaces the provider's own price", () => {
    const overrides = parseCatalogEntries([
      { provider: 'anthropic', model: 'claude-sonnet-4-5', platform: 'bedrock', input: '2.70', output: '13.50', maxOutputTokens: 64_000, source: 'https://contracts.example.com/aws', checkedOn: '2026-11-01' },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', platform: 'bedrock', scope: 'regional', input: '2.97', output: '14.85', maxOutputTokens: 64_000, source: 'https://contracts.example.com/aws', checkedOn: '2026-11-01' },
    ]);
    const withContract = createCatalog(catalog.list(), overrides);
    const resolved = withContract.resolve('claude-sonnet-4-5')!;
    expect(resolved.price!.input).toBe(usd('3'));
    expect(priceOn(withContract, resolved, { platform: 'bedrock', scope: 'global' })!.input).toBe(usd('2.70'));
    expect(priceOn(withContract, resolved, { platform: 'bedrock', scope: 'regional' })!.input).toBe(usd('2.97'));
  });
});
