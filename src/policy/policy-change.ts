/**
 * The payload format of the changes channel (`NOTIFY stipend_changes`), the one place it is
 * defined. Every writer builds its payloads here (through `notifyChange`) and every gateway
 * replica parses them here, so that a change reloads only what it touched:
 *
 *   full                    anything may have changed: rebuild the whole policy
 *   person:<id>[,<id>…]     these people: their row (email, level, active), keys or team memberships
 *   key:<id>[,<id>…]        keys of these people (person ids) were created or revoked
 *   account:<id>[,<id>…]    these service accounts: their row or their keys
 *   team:<id>[,<id>…]       these Team rows, their memberships and service accounts (and the people they declare)
 *   budget:<id>[,<id>…]     these Budget rows (applied, changed or deactivated)
 *   policy:<id>[,<id>…]     these ModelPolicy rows
 *
 * An `<id>` is the row's id in decimal, without sign or leading zero. Postgres delivers a
 * payload after the transaction commits, refuses payloads of 8000 bytes or more, and folds
 * identical payloads of one transaction into one: long id lists are therefore split into
 * several payloads (each under MAX_PAYLOAD_BYTES), and a list longer than MAX_IDS becomes
 * `full`. A payload a reader does not understand (an older or newer writer, `reconnected`
 * after the LISTEN connection came back) means `full`: slower, never wrong.
 */

export type RowKind = 'person' | 'key' | 'account' | 'team' | 'budget' | 'policy';

export type PolicyChange = { readonly kind: 'full' } | { readonly kind: RowKind; readonly ids: readonly bigint[] };

export const ROW_KINDS: readonly RowKind[] = ['person', 'key', 'account', 'team', 'budget', 'policy'];

/** Postgres's limit is "shorter than 8000 bytes" (payloads here are ASCII). */
export const MAX_PAYLOAD_BYTES = 7999;

/** Past this many ids one change is announced as `full`: a rebuild is then about as cheap. */
export const MAX_IDS = 10_000;

export const fullChange: PolicyChange = { kind: 'full' };

export const personChanged = (ids: Iterable<bigint>): PolicyChange => rowChange('person', ids);
export const keysChanged = (personIds: Iterable<bigint>): PolicyChange => rowChange('key', personIds);
export const serviceAccountChanged = (ids: Iterable<bigint>): PolicyChange => rowChange('account', ids);
export const teamChanged = (id: bigint): PolicyChange => rowChange('team', [id]);
export const budgetChanged = (id: bigint): PolicyChange => rowChange('budget', [id]);
export const modelPolicyChanged = (id: bigint): PolicyChange => rowChange('policy', [id]);

function rowChange(kind: RowKind, ids: Iterable<bigint>): PolicyChange {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    if (id <= 0n) throw new RangeError(`${kind} id must be positive, got ${id}`);
  }
  return { kind, ids: unique };
}

/** The payloads that announce a change (none for an empty id list). */
export function encodeChange(change: PolicyChange): string[] {
  if (change.kind === 'full') return ['full'];
  if (change.ids.length === 0) return [];
  if (change.ids.length > MAX_IDS) return ['full'];
  const payloads: string[] = [];
  let current = '';
  for (const id of change.ids) {
    const text = String(id);
    if (current && current.length + 1 + text.length > MAX_PAYLOAD_BYTES) {
      payloads.push(current);
      current = '';
    }
    current = current ? `${current},${text}` : `${change.kind}:${text}`;
  }
  payloads.push(current);
  return payloads;
}

const ID = /^[1-9][0-9]{0,18}$/;

/** Reads one payload; null when it is not in the format above (the caller then rebuilds). */
export function parseChange(payload: string): PolicyChange | null {
  if (payload === 'full') return fullChange;
  const colon = payload.indexOf(':');
  if (colon < 0) return null;
  const kind = payload.slice(0, colon) as RowKind;
  if (!ROW_KINDS.includes(kind)) return null;
  const parts = payload.slice(colon + 1).split(',');
  const ids: bigint[] = [];
  for (const part of parts) {
    if (!ID.test(part)) return null;
    const id = BigInt(part);
    if (id > 9_223_372_036_854_775_807n) return null; // beyond bigint (int8) ids
    ids.push(id);
  }
  return { kind, ids };
}
