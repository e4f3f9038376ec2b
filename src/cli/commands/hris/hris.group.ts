import { defineGroup } from '../../command.ts';
import { hrisSyncGroup } from './sync/sync.group.ts';

export const hrisGroup = defineGroup({
  name: 'hris',
  summary: 'people from an HRIS that cannot push SCIM: joiners, movers and leavers pulled on a schedule',
  subcommands: [hrisSyncGroup],
  examples: ['stipend hris sync bamboohr --dry-run', 'stipend hris sync bamboohr'],
});
