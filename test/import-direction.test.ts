// Imports point down: a folder under src/ may import only folders in layers below its own,
// never a sibling in its layer nor anything above. This table is the one statement of the
// allowed direction (docs/architecture.md explains it); a new folder must be placed in it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Top to bottom. */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'], // wiring: parses flags and env, starts a role
  ['dev'], // the embedded mode: starts gateway, admin and a mock provider in one process
  ['admin', 'gateway', 'operator'], // the roles
  ['alerts', 'identity'], // alerts read forecasts and month budgets from reports; identity: SCIM, people from outside
  ['reports'],
  ['delivery'], // the outbox alerts and reports send through
  ['keys'],
  ['policy'],
  ['ledger', 'providers', 'mock-provider', 'audit-log'],
  ['pricing', 'logging'],
  ['config'],
  ['db'],
];

const SRC = resolve(import.meta.dirname, '../src');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|import\s+['"](\.{1,2}\/[^'"]+)['"]/g;

interface Import {
  readonly file: string; // relative to src/
  readonly from: string; // top folder of the importer
  readonly to: string; // top folder of the imported file
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    // Unit tests may reach across (a stand-in checked with the real decoder); the rule is for what ships.
    return /\.(ts|mts|js|mjs)$/.test(e.name) && !/\.test\.[a-z]+$/.test(e.name) ? [path] : [];
  });
}

/** Every relative import that crosses from one top folder of src/ to another. */
function crossFolderImports(src: string): Import[] {
  const top = (path: string) => relative(src, path).split(sep)[0]!;
  return sourceFiles(src).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].flatMap((m) => {
      const target = resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!);
      if (!target.startsWith(src + sep)) return [];
      const from = top(file);
      const to = top(target);
      return from === to || from.includes('.') ? [] : [{ file: relative(src, file), from, to }];
    }),
  );
}

const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

describe('import direction', () => {
  const imports = crossFolderImports(SRC);

  it('places every folder of src/ in a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => layerOf(f) < 0), 'folders missing from LAYERS in test/import-direction.test.ts').toEqual([]);
  });

  it('has no import from a folder to one in its own layer or above', () => {
    const upward = imports.filter((i) => layerOf(i.to) <= layerOf(i.from)).map((i) => `${i.file} imports ${i.to}/ (${i.from} may import only layers below it)`);
    expect(upward).toEqual([]);
  });

  it('finds the imports it checks (a broken pattern would pass vacuously)', () => {
    expect(imports.some((i) => i.from === 'gateway' && i.to === 'ledger')).toBe(true);
    expect(imports.some((i) => i.from === 'cli' && i.to === 'gateway')).toBe(true); // a dynamic import()
    const dir = mkdtempSync(join(tmpdir(), 'stipend-imports-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      write('db/x.ts', "import type { A } from '../gateway/a.ts';\nexport { b } from '../ledger/sub/b.ts';\nimport '../keys/c.ts';\n");
      write('db/x.test.ts', "import { a } from '../gateway/a.ts';\n");
      expect(crossFolderImports(dir).map((i) => `${i.from}->${i.to}`)).toEqual(['db->gateway', 'db->ledger', 'db->keys']);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
