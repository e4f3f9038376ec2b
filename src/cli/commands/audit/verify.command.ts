import { verifyLedger } from '../../../ledger/audit.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';

export const auditVerifyCommand = defineCommand({
  name: 'verify',
  summary: "recompute the ledger's hash chain and report the first row that does not match",
  options: { ...DATA_DIR_OPTION },
  details: `${DATABASE_ENV_HELP}\n\nexit code 3 when the chain is broken (a row was changed, removed or inserted).`,
  examples: ['stipend audit verify', 'stipend audit verify --data-dir .stipend'],
  async run(ctx) {
    const handle = await ctx.database('stipend-audit');
    try {
      const result = await verifyLedger(handle.db);
      if (result.ok) {
        ctx.stdout.write(`ledger intact: ${result.rows} rows, hash chain verified\n`);
        return 0;
      }
      ctx.stdout.write(`LEDGER TAMPERED: chain breaks at seq ${result.firstBadSeq} (${result.rows} rows)\n`);
      return 3;
    } finally {
      await handle.close();
    }
  },
});
