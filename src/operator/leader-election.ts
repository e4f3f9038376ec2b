import pg from 'pg';

/**
 * Leader election with a Postgres session advisory lock (see docs/operator.md). Postgres
 * is already the one shared dependency; the lock goes the moment the leader's session
 * ends (no lease to wait out on a crash) and needs no RBAC on Leases. The leader checks
 * every `heartbeatMs` that its session still holds the lock; when the check fails or the
 * connection drops, it is told through `onLost` — before any other replica can win,
 * since Postgres frees the lock only once it sees the session gone.
 */
export interface Leadership {
  readonly isLeader: () => boolean;
  /** Releases the lock (closing the session); call after stopping the work it guards. */
  stop(): Promise<void>;
}

export interface LeaderElectionOptions {
  readonly connectionString: string;
  readonly onElected: () => void;
  readonly onLost: () => void;
  readonly retryMs?: number;
  readonly heartbeatMs?: number;
  /** One operator per database: the lock's name. */
  readonly lockName?: string;
}

export function startLeaderElection(options: LeaderElectionOptions): Leadership {
  const retryMs = options.retryMs ?? 2000;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const lockName = options.lockName ?? 'stipend-operator';
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const lose = () => {
    if (!leader) return;
    leader = false;
    options.onLost();
  };
  const schedule = (fn: () => Promise<void>, ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void fn(), ms);
  };
  const attempt = async () => {
    try {
      client ??= await connect();
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [lockName]);
      if (rows[0]?.ok && !stopped) {
        leader = true;
        options.onElected();
        return schedule(heartbeat, heartbeatMs);
      }
    } catch {
      await dropClient();
    }
    schedule(attempt, retryMs);
  };
  const heartbeat = async () => {
    try {
      const held = await client!.query<{ held: boolean }>(
        "select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted) as held",
      );
      if (held.rows[0]?.held) return schedule(heartbeat, heartbeatMs);
    } catch {
      await dropClient();
    }
    lose();
    schedule(attempt, retryMs);
  };
  const connect = async () => {
    const c = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'stipend-operator-leader',
      keepAlive: true,
      query_timeout: Math.max(1000, heartbeatMs),
    });
    c.on('error', () => {
      if (client !== c) return;
      client = null;
      void c.end().catch(() => undefined);
      lose();
      schedule(attempt, retryMs);
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
