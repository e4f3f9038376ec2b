import { chmod, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/** One thing `stipend dev` serves: where it is and, when it needs one, the credential. */
export const devEndpointSchema = z.object({
  url: z.string().url(),
  token: z.string().optional(),
  /** Who can sign in (the portal): demo people with their password, and their IdP groups. */
  users: z.array(z.object({ email: z.string(), password: z.string(), groups: z.array(z.string()).optional() })).optional(),
  /** An OpenID client's credentials (the embedded provider). */
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
});
export type DevEndpoint = z.infer<typeof devEndpointSchema>;

/** `<data-dir>/dev.json`: every URL and credential of the running dev mode, by name (gateway, dashboard, admin, …). */
export const devJsonSchema = z.record(z.string(), devEndpointSchema);
export type DevJson = z.infer<typeof devJsonSchema>;

export async function writeDevJson(file: string, endpoints: DevJson): Promise<void> {
  // Credentials inside: readable by the owner only.
  await writeFile(file, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** The previous run's file, if readable: its tokens are reused so bookmarks keep working. */
export async function readDevJson(file: string): Promise<DevJson | null> {
  try {
    const parsed = devJsonSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
