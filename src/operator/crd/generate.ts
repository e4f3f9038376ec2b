// `npm run crds`: writes crds/*.yaml (and the chart's copy) from the zod schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crdFiles } from './write-crds.ts';

// The Helm chart ships the same files: written from the one source, checked by a test.
for (const target of ['../../../crds', '../../../charts/stipend/crds']) {
  const dir = new URL(target, import.meta.url).pathname;
  for (const [name, text] of crdFiles()) writeFileSync(join(dir, name), text);
}
process.stdout.write(`wrote ${[...crdFiles().keys()].join(', ')} to crds/ and charts/stipend/crds/\n`);
