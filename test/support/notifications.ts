import { sql } from 'kysely';
import type { DbHandle } from '../../src/db/db-handle.ts';
import { CHANGES_CHANNEL } from '../../src/db/db-handle.ts';

/**
 * Every NOTIFY on the changes channel while `action` runs. A sentinel sent afterwards proves
 * completeness without guessing how long to listen: notifications arrive in commit order, so
 * once the sentinel is heard, anything the action committed has been heard too (and "nobody
 * was notified" is a fact, not a timeout that happened to pass).
 */
export async function notificationsDuring(handle: DbHandle, action: () => Promise<unknown>, deadlineMs = 20_000): Promise<string[]> {
  const heard: string[] = [];
  const unlisten = await handle.listen(CHANGES_CHANNEL, (payload) => heard.push(payload));
  try {
    await action();
    const sentinel = `sentinel:${Math.random()}`;
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${sentinel})`.execute(handle.db);
    const deadline = Date.now() + deadlineMs;
    while (!heard.includes(sentinel)) {
      if (Date.now() > deadline) throw new Error('the sentinel NOTIFY never arrived');
      await new Promise((r) => setTimeout(r, 5));
    }
    return heard.filter((p) => p !== sentinel);
  } finally {
    await unlisten();
  }
}
