import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scimConfigFromEnv } from './scim-config.schema.ts';

const TOKEN = 'entra-connection-token-0123456789';

describe('SCIM configuration from the environment', () => {
  it('is off without tokens', () => {
    expect(scimConfigFromEnv({})).toBeNull();
    expect(scimConfigFromEnv({ STIPEND_SCIM_TOKENS: ' , ' })).toBeNull();
  });

  it('reads tokens from the variable and from a mounted Secret file (one per line, comments allowed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-'));
    const file = join(dir, 'tokens');
    writeFileSync(file, `# okta\nokta-connection-token-0123456789\n\nsha256:${'a'.repeat(64)}\n`);
    const config = scimConfigFromEnv({ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_TOKENS_FILE: file });
    expect(config?.tokens).toEqual([TOKEN, 'okta-connection-token-0123456789', `sha256:${'a'.repeat(64)}`]);
  });

  it('takes a job-level mapping from an attribute path and a JSON table', () => {
    const config = scimConfigFromEnv({ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_JOB_LEVEL_FROM: 'title', STIPEND_SCIM_JOB_LEVEL_MAP: '{"Staff Engineer": 6}' });
    expect(config?.jobLevel).toEqual({ from: 'title', map: { 'Staff Engineer': 6 } });
    const enterprise = scimConfigFromEnv({ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_JOB_LEVEL_FROM: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division' });
    expect(enterprise?.jobLevel).toEqual({ from: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division' });
  });

  it.each([
    [{ STIPEND_SCIM_TOKENS: 'short' }, 'at least 24'],
    [{ STIPEND_SCIM_TOKENS_FILE: '/nonexistent/tokens' }, 'cannot read'],
    [{ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_JOB_LEVEL_FROM: 'shoeSize' }, 'Unknown attribute'],
    [{ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_JOB_LEVEL_FROM: 'title', STIPEND_SCIM_JOB_LEVEL_MAP: '{bad json' }, 'JSON object'],
    [{ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_JOB_LEVEL_FROM: 'title', STIPEND_SCIM_JOB_LEVEL_MAP: '{"Staff": "six"}' }, 'integers'],
    [{ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_JOB_LEVEL_MAP: '{"Staff": 6}' }, 'needs STIPEND_SCIM_JOB_LEVEL_FROM'],
    [{ STIPEND_SCIM_TOKENS: TOKEN, STIPEND_SCIM_BASE_URL: 'not a url' }, 'STIPEND_SCIM_BASE_URL'],
  ])('refuses configuration %# with a message naming the problem', (env, message) => {
    expect(() => scimConfigFromEnv(env)).toThrow(message);
  });
});
