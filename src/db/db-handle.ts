import type { Db } from './database.ts';

export type Unlisten = () => Promise<void>;

export interface ListenOptions {
  /** Called with false when the listening connection is lost and true when it is back (Postgres only). */
  readonly onConnectionChange?: (connected: boolean) => void;
}

/** A database plus the one thing Kysely does not model: LISTEN/NOTIFY. */
export interface DbHandle {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /**
   * Calls `onPayload` for every notification on `channel`. A lost connection is re-established
   * on its own, and `onPayload('reconnected')` then announces that changes may have been missed.
   */
  listen(channel: string, onPayload: (payload: string) => void, options?: ListenOptions): Promise<Unlisten>;
  close(): Promise<void>;
}

/** Channel every policy, people or key change is announced on. */
export const CHANGES_CHANNEL = 'stipend_changes';

/** The payload a listener receives after its connection came back. */
export const RECONNECTED = 'reconnected';
