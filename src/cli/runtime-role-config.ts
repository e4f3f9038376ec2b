import { CliError } from './cli-error.ts';

/**
 * The runtime role `stipend migrate` sets up: named by --runtime-role / STIPEND_RUNTIME_ROLE,
 * or by the user of STIPEND_RUNTIME_DATABASE_URL (whose password the role is created with).
 * Both given: they must agree. Neither: null.
 */
export function runtimeRoleFrom(role: string | undefined, url: string | undefined): { role: string; password?: string } | null {
  let fromUrl: { role: string; password?: string } | null = null;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CliError('STIPEND_RUNTIME_DATABASE_URL is not a URL (postgres://role:password@host:5432/db)');
    }
    const user = decodeURIComponent(parsed.username);
    if (!user) throw new CliError('STIPEND_RUNTIME_DATABASE_URL names no user: it must be the runtime role\'s URL');
    fromUrl = { role: user, ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}) };
  }
  if (role !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(role)) throw new CliError(`runtime role "${role}": use letters, digits and _ (at most 63)`);
    if (fromUrl && fromUrl.role !== role) {
      throw new CliError(`the runtime role "${role}" differs from the user of STIPEND_RUNTIME_DATABASE_URL ("${fromUrl.role}")`);
    }
    return fromUrl ?? { role };
  }
  return fromUrl;
}
