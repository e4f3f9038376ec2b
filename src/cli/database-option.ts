import type { OptionSpec } from './command.ts';

/** Spread into the options of every command that reads or writes the database. */
export const DATA_DIR_OPTION = {
  'data-dir': {
    type: 'string',
    value: 'DIR',
    description: `use the embedded database of a \`stipend dev\` data dir (e.g. .stipend) instead of STIPEND_DATABASE_URL; \`stipend dev\` must not be running on it`,
  },
} as const satisfies Record<string, OptionSpec>;

export const DATABASE_ENV_HELP = `environment:
  STIPEND_DATABASE_URL   postgres://user:pass@host:5432/db (unless --data-dir is given)
  STIPEND_DATABASE_POOL  connections in the pool (default 20)`;
