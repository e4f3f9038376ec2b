import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import type { Db } from './database.ts';
import * as policyTables from './migrations/0001-policy-tables.ts';
import * as walletsAndLedger from './migrations/0002-wallets-and-ledger.ts';
import * as ledgerFunctions from './migrations/0003-ledger-functions.ts';
import * as settleMany from './migrations/0004-settle-many.ts';
import * as reserveMany from './migrations/0005-reserve-many.ts';
import * as budgetAlerts from './migrations/0006-budget-alerts.ts';
import * as financeReports from './migrations/0007-finance-reports.ts';
import * as overages from './migrations/0008-overages.ts';
import * as ledgerIntegrity from './migrations/0009-ledger-integrity.ts';
import * as rateWindows from './migrations/0010-rate-windows.ts';
import * as periodClose from './migrations/0011-period-close.ts';
import * as alertsThatFire from './migrations/0013-alerts-that-fire.ts';
import * as directoryPeople from './migrations/0014-directory-people.ts';
import * as accessAudit from './migrations/0016-access-audit.ts';
import * as serviceAccounts from './migrations/0017-service-accounts.ts';
import * as servedBy from './migrations/0018-served-by.ts';

// Migrations are listed in code (not read from a folder) so the image needs no file scanning.
const migrations: Readonly<Record<string, Migration>> = {
  '0001-policy-tables': policyTables,
  '0002-wallets-and-ledger': walletsAndLedger,
  '0003-ledger-functions': ledgerFunctions,
  '0004-settle-many': settleMany,
  '0005-reserve-many': reserveMany,
  '0006-budget-alerts': budgetAlerts,
  '0007-finance-reports': financeReports,
  '0008-overages': overages,
  '0009-ledger-integrity': ledgerIntegrity,
  '0010-rate-windows': rateWindows,
  '0011-period-close': periodClose,
  '0013-alerts-that-fire': alertsThatFire,
  '0014-directory-people': directoryPeople,
  '0016-access-audit': accessAudit,
  '0017-service-accounts': serviceAccounts,
  '0018-served-by': servedBy,
};

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Migrates up (or down) to the named migration: for tests of a migration over rows written before it. */
export async function migrateTo(db: Db, name: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateTo(name);
  if (result.error) throw result.error;
  return result;
}
