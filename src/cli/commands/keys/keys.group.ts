import { defineGroup } from '../../command.ts';
import { keysCreateCommand } from './create.command.ts';
import { keysListCommand } from './list.command.ts';
import { keysRevokeCommand } from './revoke.command.ts';

export const keysGroup = defineGroup({
  name: 'keys',
  summary: 'create, revoke or list API keys',
  subcommands: [keysCreateCommand, keysRevokeCommand, keysListCommand],
  examples: ['stipend keys create --email ada@acme.example', 'stipend keys revoke --email ada@acme.example', 'stipend keys list'],
});
