import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type { AuditResult } from '../../../ledger/audit.ts';

/** What `audit verify` and `audit checkpoint` print after "LEDGER TAMPERED: ". */
export function chainProblems(result: AuditResult): string[] {
  const problems: string[] = [];
  if (result.firstBadSeq !== null) problems.push(`chain breaks at seq ${result.firstBadSeq} (${result.rows} rows)`);
  if (result.firstInvalidSeq !== null) problems.push(`row seq ${result.firstInvalidSeq} holds a negative cost or token count`);
  return problems;
}

export async function currentDatabase(db: Db): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  return rows[0]!.name;
}
