import { describe, expect, it } from 'vitest';
import { jobLevelFrom } from './job-level.ts';

describe('jobLevelFrom', () => {
  const table = { from: 'title', map: { 'Staff Engineer': 6, 'Senior Engineer': 5, Engineer: 3 } };

  it('maps through the table, trimmed and case-insensitively', () => {
    expect(jobLevelFrom('  staff engineer ', table)).toBe(6);
    expect(jobLevelFrom('Engineer', table)).toBe(3);
  });

  it('gives no level for a value the table does not name (no guessing when a table exists)', () => {
    expect(jobLevelFrom('Principal Engineer 7', table)).toBeNull();
    expect(jobLevelFrom(null, table)).toBeNull();
  });

  it('without a table takes the first integer of the value', () => {
    const plain = { from: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division' };
    expect(jobLevelFrom('L6', plain)).toBe(6);
    expect(jobLevelFrom('Band 4 (senior)', plain)).toBe(4);
    expect(jobLevelFrom(5, plain)).toBe(5);
    expect(jobLevelFrom('none', plain)).toBeNull();
    expect(jobLevelFrom('99999999999', plain)).toBeNull();
    expect(jobLevelFrom(-1, plain)).toBeNull();
  });
});
