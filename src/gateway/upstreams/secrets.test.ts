import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretStore, SecretError } from './secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'stipend-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the secret store', () => {
  it('reads files relative to the folder, without the trailing newline a file keeps', () => {
    writeFileSync(join(dir, 'key'), 'value-1\n');
    const store = createSecretStore({ dir, env: {} });
    const s = store.secret({ file: 'key' }, 'upstream x (apiKey)');
    expect(s.value()).toBe('value-1');
    expect(s.source).toBe(join(dir, 'key'));
  });

  it('a refresh picks up a rotated file and bumps its version; an unreadable file keeps its last value', () => {
    writeFileSync(join(dir, 'rotating'), 'old');
    const store = createSecretStore({ dir, env: {} });
    const s = store.secret({ file: 'rotating' }, 'x');
    expect(store.refresh()).toEqual({ changed: [], failed: [] });
    writeFileSync(join(dir, 'rotating'), 'new\n');
    expect(store.refresh().changed).toEqual([join(dir, 'rotating')]);
    expect([s.value(), s.version()]).toEqual(['new', 1]);
    rmSync(join(dir, 'rotating'));
    expect(store.refresh().failed).toEqual([join(dir, 'rotating')]);
    expect(s.value()).toBe('new');
  });

  it('a missing file or variable fails at start, naming the path or variable and never a value', () => {
    const store = createSecretStore({ dir, env: { SET: 'shh' } });
    expect(() => store.secret({ file: 'absent' }, 'upstream y (auth.apiKey)')).toThrow(new SecretError(`upstream y (auth.apiKey): cannot read the credential file ${join(dir, 'absent')} (ENOENT)`));
    expect(() => store.secret({ env: 'UNSET' }, 'upstream y')).toThrow('the environment variable UNSET is not set');
    expect(store.secret({ env: 'SET' }, 'upstream y').value()).toBe('shh');
  });
});
