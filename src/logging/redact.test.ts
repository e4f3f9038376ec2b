import { describe, expect, it } from 'vitest';
import { redactQuerySecrets } from './redact.ts';

describe('redactQuerySecrets', () => {
  it('hides keys and tokens in query strings, in any position and case', () => {
    expect(redactQuerySecrets('/v1/chat/completions?api_key=sk-stipend-abc')).toBe('/v1/chat/completions?api_key=[redacted]');
    expect(redactQuerySecrets('/v1/models?beta=true&key=AIzaSecret&x=1')).toBe('/v1/models?beta=true&key=[redacted]&x=1');
    expect(redactQuerySecrets('/api/reports?from=2026-01-01&TOKEN=adm-1#frag')).toBe('/api/reports?from=2026-01-01&TOKEN=[redacted]#frag');
    expect(redactQuerySecrets('{"url":"/x?access_token=abc","n":1}')).toBe('{"url":"/x?access_token=[redacted]","n":1}');
  });

  it('leaves other parameters alone', () => {
    expect(redactQuerySecrets('/api/reports?from=2026-01-01&monkey=1&keys=2')).toBe('/api/reports?from=2026-01-01&monkey=1&keys=2');
  });
});
