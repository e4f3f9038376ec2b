import { defineCommand } from '../command.ts';

export const crdsCommand = defineCommand({
  name: 'crds',
  summary: 'print the CustomResourceDefinitions (YAML), generated from the resource schemas',
  options: {},
  details: "'npm run crds' writes them to crds/ and the chart's copy.",
  examples: ['stipend crds | kubectl apply -f -'],
  async run(ctx) {
    const { crdFiles } = await import('../../operator/crd/write-crds.ts');
    ctx.stdout.write([...crdFiles().values()].join('---\n'));
  },
});
