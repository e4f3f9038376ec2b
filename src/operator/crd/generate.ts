// `npm run crds`: writes crds/*.yaml from the zod schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crdFiles } from './write-crds.ts';

const dir = new URL('../../../crds', import.meta.url).pathname;
for (const [name, text] of crdFiles()) writeFileSync(join(dir, name), text);
process.stdout.write(`wrote ${[...crdFiles().keys()].join(', ')} to crds/\n`);
