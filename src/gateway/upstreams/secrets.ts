// Upstream credentials, read from files (a mounted Kubernetes Secret) or the environment.
// Files are read again every `refreshMs` and on SIGHUP, so a rotated key is used
// without a restart: Kubernetes swaps a Secret volume's files atomically when the Secret
// changes. A file that cannot be read on a refresh keeps its last value (a rotation
// caught half-way must not take an upstream down). Values never reach a log line.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export type CredentialRef = { readonly file: string } | { readonly env: string };

export interface Secret {
  /** The current value (trailing newlines trimmed: `kubectl create secret --from-file` keeps them). */
  value(): string;
  /** Bumped whenever the value changes: tokens derived from it are dropped. */
  version(): number;
  /** Where it comes from, for messages (a path or a variable name; never the value). */
  readonly source: string;
}

export interface SecretStore {
  secret(ref: CredentialRef, owner: string): Secret;
  /** Reads every file again; returns the sources that changed and those that could not be read. */
  refresh(): { readonly changed: readonly string[]; readonly failed: readonly string[] };
}

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

export interface SecretStoreOptions {
  /** Where relative `file:` references are read from. */
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => string;
}

const clean = (text: string): string => text.replace(/[\r\n]+$/, '');

interface Entry {
  readonly path: string;
  current: string;
  version: number;
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const read = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const files = new Map<string, Entry>();

  return {
    secret(ref, owner) {
      if ('env' in ref) {
        const value = options.env[ref.env];
        if (value === undefined || value === '') throw new SecretError(`${owner}: the environment variable ${ref.env} is not set`);
        const v = clean(value);
        return { value: () => v, version: () => 0, source: `$${ref.env}` };
      }
      const path = isAbsolute(ref.file) ? ref.file : join(options.dir, ref.file);
      let entry = files.get(path);
      if (!entry) {
        let text: string;
        try {
          text = clean(read(path));
        } catch (error) {
          throw new SecretError(`${owner}: cannot read the credential file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        }
        if (text === '') throw new SecretError(`${owner}: the credential file ${path} is empty`);
        entry = { path, current: text, version: 0 };
        files.set(path, entry);
      }
      const e = entry;
      return { value: () => e.current, version: () => e.version, source: path };
    },
    refresh() {
      const changed: string[] = [];
      const failed: string[] = [];
      for (const entry of files.values()) {
        try {
          const text = clean(read(entry.path));
          if (text === '') throw new Error('empty');
          if (text !== entry.current) {
            entry.current = text;
            entry.version++;
            changed.push(entry.path);
          }
        } catch {
          failed.push(entry.path);
        }
      }
      return { changed, failed };
    },
  };
}

/** A value known at start (the provider keys in the gateway's environment): never rotates. */
export function staticSecret(value: string, source: string): Secret {
  const v = clean(value);
  return { value: () => v, version: () => 0, source };
}
