import pg from 'pg';

/**
 * Leader election with a Postgres session advisory lock. Postgres is already the one
 * shared dependency, the lock is released the moment the leader's connection dies
 * (no lease to expire), and it needs no RBAC on Leases. A follower retries every
 * `retryMs`; a leader whose lock connection fails is told at once.
 */
export interface Leadership {
  readonly isLeader: () => boolean;
  stop(): Promise<void>;
}

const LOCK_KEY = 'stipend-operator';

export function startLeaderElection(
  connectionString: string,
  onElected: () => void,
  onLost: () => void,
  retryMs = 2000,
): Leadership {
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const attempt = async () => {
    if (stopped) return;
    try {
      client ??= await connect();
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [LOCK_KEY]);
      if (rows[0]?.ok && !stopped) {
        leader = true;
        onElected();
        return;
      }
    } catch {
      await dropClient();
    }
    timer = setTimeout(() => void attempt(), retryMs);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString, application_name: 'stipend-operator-leader' });
    c.on('error', () => {
      if (leader) {
        leader = false;
        onLost();
      }
      void dropClient().then(() => !stopped && void attempt());
    });
    await c.connect();
    return c;
  };
  const dropClient = async () => {
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };

  void attempt();
  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      leader = false;
      await dropClient(); // closing the session releases the lock
    },
  };
}
