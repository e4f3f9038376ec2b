import { isGroup, type Command, type LeafCommand, type OptionSpec } from './command.ts';

const flag = (name: string, o: OptionSpec): string =>
  `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`;

function describe(o: OptionSpec): string {
  const notes = [o.required ? 'required' : '', o.default !== undefined && o.default !== false ? `default: ${String(o.default)}` : '', o.choices && o.value ? `one of ${o.choices.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return notes ? `${o.description} (${notes})` : o.description;
}

function columns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows.map(([l, r]) => (l.length + 2 > width ? `  ${l}\n  ${' '.repeat(width)}${r}` : `  ${l.padEnd(width)}${r}`)).join('\n');
}

function usageLine(path: string, c: LeafCommand): string {
  const required = Object.entries(c.options)
    .filter(([, o]) => o.required)
    .map(([n, o]) => flag(n, o));
  const optional = Object.values(c.options).some((o) => !o.required) ? ['[options]'] : [];
  return ['stipend', path, ...required, ...optional, ...(c.positionals ?? [])].filter(Boolean).join(' ');
}

/** The --help text of a command: what it does, usage, every option, examples. */
export function helpText(path: string, c: Command, version?: string): string {
  const full = path ? `stipend ${path}` : 'stipend';
  const parts = [`${full} — ${c.summary}`];
  if (isGroup(c)) {
    parts.push(`usage: ${full} <command> [options]`);
    parts.push(`commands:\n${columns(c.subcommands.map((s) => [s.name, s.summary]))}`);
    const rows: [string, string][] = [['-h, --help', 'show this help (also after any command)']];
    if (version) rows.push(['-V, --version', `print the version (${version})`]);
    parts.push(`options:\n${columns(rows)}`);
    parts.push(`Run '${full} <command> --help' for a command's options and examples.`);
  } else {
    parts.push(`usage: ${usageLine(path, c)}`);
    const rows = Object.entries(c.options).map(([n, o]) => [flag(n, o), describe(o)] as const);
    parts.push(`options:\n${columns([...rows, ['-h, --help', 'show this help']])}`);
    if (c.details) parts.push(c.details.trim());
  }
  parts.push(`examples:\n${c.examples.map((e) => `  ${e}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
