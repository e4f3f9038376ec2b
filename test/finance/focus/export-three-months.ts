// Writes the FOCUS export of a generated three-month ledger (the .ci focus-validator step):
// January and February are closed, then rows of February settle late, so March carries
// corrections. Usage: node export-three-months.ts OUT.csv
import { writeFileSync } from 'node:fs';
import { DEFAULT_EXPORT_CONFIG } from '../../../src/reports/exports/export-config.schema.ts';
import { exportMonth } from '../../../src/reports/exports/exports.ts';
import { closeMonth } from '../../../src/reports/monthly/close-month.ts';
import { createTestDatabase } from '../../support/test-database.ts';
import { generateFocusLedger } from '../support/focus-ledger.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: export-three-months.ts OUT.csv');
const t = await createTestDatabase();
try {
  const db = t.handle.db;
  await generateFocusLedger(db, ['2026-01', '2026-02', '2026-03'], 1500);
  const options = { config: DEFAULT_EXPORT_CONFIG, now: new Date('2026-03-20T00:00:00Z'), closedBy: 'ci' };
  await closeMonth(db, '2026-01', options);
  await closeMonth(db, '2026-02', options);
  await generateFocusLedger(db, ['2026-02'], 40, 'late');
  const files = await Promise.all(['2026-01', '2026-02', '2026-03'].map((m) => exportMonth(db, m, 'focus', DEFAULT_EXPORT_CONFIG)));
  // One dataset over three billing periods: the header once.
  const [first, ...rest] = files.map((f) => f.csv);
  writeFileSync(out, first + rest.map((csv) => csv.slice(csv.indexOf('\r\n') + 2)).join(''));
  const rows = files.reduce((n, f) => n + f.csv.split('\r\n').length - 2, 0);
  process.stderr.write(`wrote ${out}: ${rows} rows over 3 months (${files.map((f) => `${f.filename} ${f.closed ? 'closed' : 'open'}`).join(', ')})\n`);
} finally {
  await t.drop();
}
