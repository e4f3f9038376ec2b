import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { CliError, CommandFailed } from './cli-error.ts';

export interface KeySource {
  /** The --key / --public-key flag, resolved against cwd. */
  readonly file: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** PEM text from a flag's file, else an env var holding the PEM, else an env var naming a file. */
function pemFrom(source: KeySource, envName: string, fileEnvName: string): { pem: string; from: string } | null {
  const named = source.file ?? (source.env[fileEnvName] || undefined);
  if (named) {
    const path = resolve(source.cwd, named);
    try {
      return { pem: readFileSync(path, 'utf8'), from: path };
    } catch (error) {
      throw new CommandFailed(`cannot read ${named}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const inline = source.env[envName];
  return inline ? { pem: inline, from: envName } : null;
}

/** The Ed25519 private key checkpoints are signed with (--key FILE, STIPEND_AUDIT_SIGNING_KEY, STIPEND_AUDIT_SIGNING_KEY_FILE). */
export function signingKey(from: KeySource): KeyObject {
  const source = pemFrom(from, 'STIPEND_AUDIT_SIGNING_KEY', 'STIPEND_AUDIT_SIGNING_KEY_FILE');
  if (!source) throw new CliError('no signing key: pass --key FILE or set STIPEND_AUDIT_SIGNING_KEY(_FILE) (make one with stipend audit keygen)');
  let key: KeyObject;
  try {
    key = createPrivateKey(source.pem);
  } catch {
    throw new CliError(`${source.from} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CliError(`${source.from} is a ${key.asymmetricKeyType} key; checkpoints are signed with Ed25519`);
  return key;
}

/** The Ed25519 public key checkpoints are verified with (--public-key FILE, STIPEND_AUDIT_PUBLIC_KEY, STIPEND_AUDIT_PUBLIC_KEY_FILE). */
export function verifyingKey(from: KeySource): KeyObject {
  const source = pemFrom(from, 'STIPEND_AUDIT_PUBLIC_KEY', 'STIPEND_AUDIT_PUBLIC_KEY_FILE');
  if (!source) throw new CliError('checking checkpoints needs the public key: pass --public-key FILE or set STIPEND_AUDIT_PUBLIC_KEY(_FILE)');
  let key: KeyObject;
  try {
    key = createPublicKey(source.pem);
  } catch {
    throw new CliError(`${source.from} is not a PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CliError(`${source.from} is a ${key.asymmetricKeyType} key; checkpoints are signed with Ed25519`);
  return key;
}
