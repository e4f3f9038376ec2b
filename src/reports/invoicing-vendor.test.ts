import { describe, expect, it } from 'vitest';
import { invoicingVendorId, serviceName, serviceProviderId, vendorDisplayName } from './invoicing-vendor.ts';

const row = (provider: string, platform: string | null, upstream: string | null = platform) => ({ provider, platform, upstream });

describe('the invoicing vendor of a ledger row', () => {
  it('is the cloud for a cloud platform, the maker for its own API', () => {
    expect(invoicingVendorId(row('anthropic', 'bedrock', 'bedrock-us-east-1'))).toBe('aws');
    expect(invoicingVendorId(row('openai', 'azure-openai', 'azure-eu'))).toBe('microsoft');
    expect(invoicingVendorId(row('anthropic', 'vertex-ai', 'vertex-claude'))).toBe('google');
    expect(invoicingVendorId(row('google', 'vertex-ai', 'vertex-gemini'))).toBe('google');
    expect(invoicingVendorId(row('anthropic', 'anthropic'))).toBe('anthropic');
    expect(invoicingVendorId(row('openai', 'openai'))).toBe('openai');
    expect(invoicingVendorId(row('google', 'gemini'))).toBe('google');
  });

  it('keeps the maker for rows written before migration 0018 (no platform)', () => {
    expect(invoicingVendorId(row('anthropic', null, null))).toBe('anthropic');
    expect(serviceProviderId(row('openai', null, null))).toBe('openai');
  });

  it('never books an unknown platform to the maker', () => {
    expect(invoicingVendorId(row('anthropic', 'some-new-cloud'))).toBe('some-new-cloud');
  });

  it("follows the mapping's invoicedBy for an upstream bought through a reseller; the service provider stays the cloud", () => {
    const azure = row('openai', 'azure-openai', 'azure-csp');
    expect(invoicingVendorId(azure, { 'azure-csp': 'crayon' })).toBe('crayon');
    expect(serviceProviderId(azure)).toBe('microsoft');
    expect(invoicingVendorId(row('openai', 'azure-openai', 'azure-direct'), { 'azure-csp': 'crayon' })).toBe('microsoft');
  });

  it('names vendors and services, the mapping’s names first', () => {
    expect(['aws', 'microsoft', 'google', 'anthropic', 'openai', 'crayon'].map((v) => vendorDisplayName(v))).toEqual(['AWS', 'Microsoft', 'Google', 'Anthropic', 'OpenAI', 'crayon']);
    expect(vendorDisplayName('aws', { aws: 'Amazon Web Services, Inc.' })).toBe('Amazon Web Services, Inc.');
    expect([row('anthropic', 'bedrock'), row('openai', 'azure-openai'), row('anthropic', 'vertex-ai'), row('openai', 'openai'), row('google', 'gemini'), row('anthropic', null)].map((r) => serviceName(r))).toEqual([
      'Amazon Bedrock',
      'Azure OpenAI',
      'Vertex AI',
      'OpenAI API',
      'Google API',
      'Anthropic API',
    ]);
  });
});
