import { verifyLedger } from '../../ledger/audit.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';

export async function auditCommand(args: string[]): Promise<void> {
  if (args[0] !== 'verify') throw new CliError('usage: stipend audit verify');
  const handle = databaseFromEnv('stipend-audit');
  try {
    const result = await verifyLedger(handle.db);
    if (result.ok) {
      process.stdout.write(`ledger intact: ${result.rows} rows, hash chain verified\n`);
    } else {
      process.stdout.write(`LEDGER TAMPERED: chain breaks at seq ${result.firstBadSeq} (${result.rows} rows)\n`);
      process.exitCode = 3;
    }
  } finally {
    await handle.close();
  }
}
