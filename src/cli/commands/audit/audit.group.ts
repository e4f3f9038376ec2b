import { defineGroup } from '../../command.ts';
import { auditVerifyCommand } from './verify.command.ts';

export const auditGroup = defineGroup({
  name: 'audit',
  summary: "check the ledger's integrity",
  subcommands: [auditVerifyCommand],
  examples: ['stipend audit verify'],
});
