import { defineGroup } from '../../command.ts';
import { auditCheckpointCommand } from './checkpoint.command.ts';
import { auditKeygenCommand } from './keygen.command.ts';
import { auditVerifyCommand } from './verify.command.ts';

export const auditGroup = defineGroup({
  name: 'audit',
  summary: "check the ledger's integrity; sign checkpoints of its head",
  subcommands: [auditVerifyCommand, auditCheckpointCommand, auditKeygenCommand],
  examples: ['stipend audit verify', 'stipend audit checkpoint --key signing.pem --out checkpoints/', 'stipend audit keygen --private signing.pem --public public.pem'],
});
