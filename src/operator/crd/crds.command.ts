import { crdFiles } from './write-crds.ts';

export async function crdsCommand(): Promise<void> {
  process.stdout.write([...crdFiles().values()].join('---\n'));
}
