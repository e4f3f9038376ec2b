// Runs inside the image (mounted at /check): the image holds what runs and nothing of the
// tests — no unit tests or helpers that import test-only packages under /app/src, no
// dev-only package in /app/node_modules (a devDependency that a production package also
// needs, like @types/node, stays), no folder beyond those the Dockerfile copies.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const app = '/app';
const expected = ['bin', 'crds', 'examples', 'node_modules', 'package.json', 'src'];
const problems: string[] = [];

const extra = readdirSync(app).filter((e) => !expected.includes(e));
if (extra.length > 0) problems.push(`unexpected in /app: ${extra.join(', ')}`);

const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
const devDeps = Object.keys(pkg.devDependencies ?? {});
// npm's record of what it installed: entries only devDependencies need are flagged `dev`.
const installed = (JSON.parse(readFileSync(join(app, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }).packages;
for (const [path, entry] of Object.entries(installed)) if (entry.dev) problems.push(`dev-only package installed: ${path}`);
for (const dep of devDeps) {
  if (existsSync(join(app, 'node_modules', dep)) && !installed[`node_modules/${dep}`]) problems.push(`devDependency installed: ${dep}`);
}

// An import or export statement at the start of a line; a snippet inside a string (the portal's
// paste-ready `import OpenAI from 'openai'`) is text, not a dependency.
const names = devDeps.map((d) => d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
const importsDevDep = new RegExp(`^\\s*(?:import|export)\\b[^'"\`;]*\\bfrom\\s*'(${names})(/[^']*)?'|\\bimport\\(\\s*'(${names})(/[^']*)?'\\)`, 'm');
let files = 0;
const walk = (dir: string): void => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else {
      files++;
      if (/test/i.test(entry.name)) problems.push(`test file: ${path}`);
      else if (importsDevDep.test(readFileSync(path, 'utf8'))) problems.push(`imports a devDependency: ${path}`);
    }
  }
};
walk(join(app, 'src'));

for (const p of problems) process.stdout.write(`${p}\n`);
process.stdout.write(`${files} files under /app/src, ${problems.length} problem(s)\n`);
process.exit(problems.length === 0 ? 0 : 1);
