import { readFileSync } from 'node:fs';

/**
 * The text of a .sql file that defines SQL functions (src/ledger/sql/). A migration that
 * (re)creates a function reads its current definition from there, so the function's
 * logic lives in one reviewable file rather than inside a TypeScript string.
 */
export function readSqlFile(url: URL): string {
  return readFileSync(url, 'utf8');
}
