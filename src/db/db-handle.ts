import type { Db } from './database.ts';

export type Unlisten = () => Promise<void>;

/** A database plus the one thing Kysely does not model: LISTEN/NOTIFY. */
export interface DbHandle {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten>;
  close(): Promise<void>;
}

/** Channel every policy, people or key change is announced on. */
export const CHANGES_CHANNEL = 'stipend_changes';
