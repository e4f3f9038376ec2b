import { hostname, userInfo } from 'node:os';
import type { AuditActor } from '../audit-log/audit-log.repository.ts';

/** The audit log's "who" for a CLI command: the OS user and host (it holds the database credentials). */
export function cliActor(command: string): AuditActor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid): the host still says where
  }
  return { actor: `cli:${user}@${hostname()}`, kind: 'cli', access: null, ip: null, userAgent: `stipend ${command}` };
}
