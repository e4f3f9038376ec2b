// docs/configuration.md is the one table of configuration: it must name every variable of
// every role's schema (src/config/roles.ts), with exactly the commands that read it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLE_CONFIG } from '../src/config/roles.ts';

const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');

/** Variable → the commands its row names ("every command" is '*'). */
function documented(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([A-Z][A-Z0-9_]*)` \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    const readers = m[2]!.trim() === 'every command' ? ['*'] : m[2]!.split(',').map((r) => r.trim());
    rows.set(m[1]!, readers.sort());
  }
  return rows;
}

function fromSchemas(): Map<string, string[]> {
  const vars = new Map<string, string[]>();
  for (const [command, schema] of Object.entries(ROLE_CONFIG)) {
    for (const name of Object.keys(schema.shape)) vars.set(name, [...(vars.get(name) ?? []), command].sort());
  }
  return vars;
}

describe('docs/configuration.md', () => {
  it('has one row per variable, naming the commands whose schema reads it', () => {
    const rows = documented();
    expect(rows.size).toBeGreaterThan(50);
    expect(Object.fromEntries([...rows].sort())).toEqual(Object.fromEntries([...fromSchemas()].sort()));
  });

  it('is linked from the README', () => {
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain('(docs/configuration.md)');
  });
});
