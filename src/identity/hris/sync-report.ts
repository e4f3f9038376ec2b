// What a sync prints: one line per joiner, mover and leaver, then the counts. Skipped
// employees are warnings (stderr), one line each.
import type { ChangeKind } from '../people/apply-person.ts';
import type { SyncedChange, SyncOutcome } from './sync-people.ts';

const SHOWN: readonly ChangeKind[] = ['joiner', 'mover', 'leaver'];

const teams = (list: readonly string[]): string => (list.length === 0 ? 'no team' : list.join(', '));
const level = (l: number | null): string => (l === null ? 'none' : String(l));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function line(c: SyncedChange): string {
  const parts = [c.kind.padEnd(6), c.email];
  if (c.kind === 'joiner') parts.push(`teams: ${teams(c.teamsAfter)}`, `level: ${level(c.jobLevelAfter)}`);
  if (c.kind === 'mover') {
    const movedTeams = c.teamsBefore.join() !== c.teamsAfter.join();
    if (movedTeams) parts.push(`teams: ${teams(c.teamsBefore)} → ${teams(c.teamsAfter)}`);
    if (c.jobLevelBefore !== c.jobLevelAfter) parts.push(`level: ${level(c.jobLevelBefore)} → ${level(c.jobLevelAfter)}`);
  }
  if (c.kind === 'leaver') parts.push(`teams: ${teams(c.teamsBefore)}`);
  if (c.reason) parts.push(`(${c.reason})`);
  return parts.join('  ');
}

export function renderSync(outcome: SyncOutcome, title: string): { readonly stdout: string; readonly stderr: string } {
  const count = (kind: ChangeKind) => outcome.changes.filter((c) => c.kind === kind).length;
  const shown = outcome.changes
    .filter((c) => SHOWN.includes(c.kind))
    .sort((a, b) => SHOWN.indexOf(a.kind) - SHOWN.indexOf(b.kind) || (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  const counts = [
    plural(count('joiner'), 'joiner'),
    plural(count('mover'), 'mover'),
    plural(count('leaver'), 'leaver'),
    `${count('updated')} updated`,
    `${outcome.unchanged} unchanged`,
    `${outcome.skipped.length} skipped`,
  ].join(', ');
  const state = outcome.blocked ? ' (stopped, nothing changed)' : outcome.dryRun ? ' (dry run, nothing changed)' : '';
  const stdout = [...shown.map(line), `${title}${state}: ${counts}`].join('\n') + '\n';
  const stderr = outcome.skipped.map((s) => `warning: skipped employee ${s.externalId}${s.email ? ` (${s.email})` : ''}: ${s.reason}\n`).join('');
  return { stdout, stderr };
}
