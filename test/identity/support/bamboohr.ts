import type { Db } from '../../../src/db/database.ts';
import type { RetryIo } from '../../../src/identity/hris/bamboohr/bamboohr-client.ts';
import type { BambooHrSettings } from '../../../src/identity/hris/bamboohr/bamboohr-sync.ts';
import type { BambooHrSource } from '../../../src/identity/hris/bamboohr/bamboohr-employee.ts';
import { TEST_BAMBOOHR_API_KEY, type BambooHrServer } from '../../../src/mock-provider/bamboohr/bamboohr-stand-in.ts';

/** The sync's settings against the stand-in: job level from custom field 4047 ("L6" → 6). */
export function standInSettings(standIn: BambooHrServer, overrides: { readonly apiKey?: string; readonly source?: BambooHrSource; readonly maxAttempts?: number; readonly timeoutMs?: number } = {}): BambooHrSettings {
  return {
    source: overrides.source ?? 'report',
    connection: {
      baseUrl: standIn.url,
      companyDomain: standIn.companyDomain,
      apiKey: overrides.apiKey ?? TEST_BAMBOOHR_API_KEY,
      timeoutMs: overrides.timeoutMs ?? 10_000,
      maxAttempts: overrides.maxAttempts ?? 4,
      maxRetryAfterMs: 60_000,
    },
    plan: { jobLevel: { from: '4047' } },
  };
}

/** A clock stopped at `iso` and a sleep that only records what it was asked to wait. */
export function fakeIo(iso: string): RetryIo & { readonly slept: number[]; set(iso: string): void } {
  let now = Date.parse(iso);
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now += ms;
    },
    set(next) {
      now = Date.parse(next);
    },
  };
}

export async function personOf(db: Db, email: string) {
  return db.selectFrom('people').select(['id', 'email', 'active', 'source', 'department', 'job_level', 'external_id', 'title', 'manager_ref', 'manager_name', 'employee_type', 'source_document']).where('email', '=', email).executeTakeFirst();
}
