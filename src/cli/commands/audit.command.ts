import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { matchCheckpoint, verifiedHead, verifyLedger, type AuditResult } from '../../ledger/audit.ts';
import { checkpointSchema, checkSignature, keyIdOf, signCheckpoint, type Checkpoint } from '../../ledger/checkpoint.ts';
import { listCheckpoints, storeCheckpoint } from '../../ledger/checkpoint.repository.ts';
import { signingKey, verifyingKey } from '../audit-keys.ts';
import { CliError } from '../cli-error.ts';
import { databaseFromEnv } from '../database-from-env.ts';
import { parseFlags } from '../parse-flags.ts';

const HELP = `usage: stipend audit <command> [options]

commands:
  verify      recompute the ledger's hash chain; with signed checkpoints, also detect a rewritten chain
  checkpoint  sign the chain head (seq, hash, time) with an Ed25519 key: the anchor outside the database
  keygen      make the Ed25519 key pair checkpoints are signed and verified with

Run stipend audit <command> --help for its options. Exit codes: 0 intact, 3 tampered, 2 usage error.
`;

const VERIFY_HELP = `usage: stipend audit verify [--checkpoint FILE|DIR]... [--stored] [--public-key FILE]

Recomputes every row's hash and link in Postgres (an edited, removed or reordered row breaks
the chain) and checks each row's values. With checkpoints, also checks that the ledger still
holds, at each checkpoint's sequence number, the hash the checkpoint signed: a chain that was
edited and then rehashed from there on (which only someone able to disable the triggers can
do) verifies on its own, but not against a checkpoint signed before.

options:
  --checkpoint FILE|DIR  a checkpoint file, or a directory of them (*.json); repeatable
  --stored               also the checkpoints stored in the database (audit checkpoint --store)
  --public-key FILE      the Ed25519 public key (PEM); or STIPEND_AUDIT_PUBLIC_KEY / STIPEND_AUDIT_PUBLIC_KEY_FILE
  -h, --help             this text

Exit 0: intact (and every checkpoint matches); 3: tampered, forged or rewritten; 2: usage error.
`;

const CHECKPOINT_HELP = `usage: stipend audit checkpoint [--key FILE] [--out DIR] [--store]

Verifies the chain, then signs its head (sequence number, hash, time) with an Ed25519 private
key and writes the checkpoint as JSON. Keep checkpoints where the database's administrators
cannot rewrite them (object storage with retention, another system's logs, the auditor's mail):
they are what shows a rewritten chain later. Refuses (exit 3) to sign a chain that does not verify.

options:
  --key FILE   the Ed25519 private key (PEM); or STIPEND_AUDIT_SIGNING_KEY / STIPEND_AUDIT_SIGNING_KEY_FILE
  --out DIR    write DIR/checkpoint-<seq>-<time>.json instead of printing it to stdout
  --store      also append it to the database's ledger_checkpoints table (write-once)
  -h, --help   this text
`;

const KEYGEN_HELP = `usage: stipend audit keygen --private FILE --public FILE

Makes an Ed25519 key pair as PEM files: the private key (mode 0600; give it only to what
signs checkpoints, e.g. as a Kubernetes Secret) and the public key (for whoever verifies).
Existing files are never overwritten.
`;

export async function auditCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h' || action === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (action === 'verify') return verifyCommand(rest);
  if (action === 'checkpoint') return checkpointCommand(rest);
  if (action === 'keygen') return keygenCommand(rest);
  throw new CliError(`unknown audit command "${action}" (see stipend audit --help)`);
}

async function verifyCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(
    args,
    { checkpoint: { type: 'string', multiple: true }, stored: { type: 'boolean' }, 'public-key': { type: 'string' } },
    'stipend audit verify',
  );
  if (values.help) return void process.stdout.write(VERIFY_HELP);
  const files = (values.checkpoint ?? []).flatMap(checkpointFiles).map((file) => ({ source: file, checkpoint: readCheckpoint(file) }));
  const withCheckpoints = files.length > 0 || values.stored === true;
  const publicKey = withCheckpoints || values['public-key'] ? verifyingKey(values['public-key']) : null;

  const handle = databaseFromEnv('stipend-audit');
  try {
    const problems: string[] = [];
    const result = await verifyLedger(handle.db);
    problems.push(...chainProblems(result));
    const checkpoints: { source: string; checkpoint: Checkpoint }[] = [...files];
    if (values.stored) {
      for (const stored of await listCheckpoints(handle.db)) {
        if ('error' in stored) problems.push(`stored checkpoint id ${stored.id} is not a checkpoint (${stored.error})`);
        else checkpoints.push({ source: `stored checkpoint of seq ${stored.seq}`, checkpoint: stored });
      }
    }
    const database = await currentDatabase(handle.db);
    let matched: Checkpoint | null = null;
    for (const { source, checkpoint } of checkpoints) {
      const signature = checkSignature(checkpoint, publicKey!);
      if (signature === 'other-key') {
        throw new CliError(`${source} was signed by ${checkpoint.keyId}, not by the public key given (${keyIdOf(publicKey!)})`);
      }
      if (signature === 'invalid') {
        problems.push(`${source} is forged or altered: its signature does not verify with ${checkpoint.keyId}`);
        continue;
      }
      if (checkpoint.database !== database) {
        process.stderr.write(`stipend: note: ${source} was signed for database "${checkpoint.database}", this is "${database}"\n`);
      }
      const match = await matchCheckpoint(handle.db, checkpoint);
      if (match === 'differs') {
        problems.push(`row seq ${checkpoint.seq} differs from the checkpoint signed ${checkpoint.signedAt} (${source}): the chain was rewritten`);
      } else if (match === 'missing') {
        problems.push(`the checkpoint signed ${checkpoint.signedAt} (${source}) covers seq ${checkpoint.seq}, but the ledger has ${result.rows} rows: rows were removed`);
      } else if (!matched || BigInt(checkpoint.seq) > BigInt(matched.seq)) {
        matched = checkpoint;
      }
    }
    if (problems.length > 0) {
      for (const p of problems) process.stdout.write(`LEDGER TAMPERED: ${p}\n`);
      process.exitCode = 3;
      return;
    }
    const anchored = matched
      ? `; ${checkpoints.length} signed checkpoint(s) match, the latest at seq ${matched.seq} (signed ${matched.signedAt})`
      : withCheckpoints ? '; no checkpoints to check' : '';
    process.stdout.write(`ledger intact: ${result.rows} rows, hash chain verified${anchored}\n`);
  } finally {
    await handle.close();
  }
}

async function checkpointCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { key: { type: 'string' }, out: { type: 'string' }, store: { type: 'boolean' } }, 'stipend audit checkpoint');
  if (values.help) return void process.stdout.write(CHECKPOINT_HELP);
  const key = signingKey(values.key);
  if (values.out !== undefined && !isDirectory(values.out)) throw new CliError(`--out ${values.out} is not a directory`);

  const handle = databaseFromEnv('stipend-audit');
  try {
    const { audit, head } = await verifiedHead(handle.db);
    const problems = chainProblems(audit);
    if (problems.length > 0) {
      for (const p of problems) process.stdout.write(`LEDGER TAMPERED: ${p}; not signing\n`);
      process.exitCode = 3;
      return;
    }
    const checkpoint = signCheckpoint(head, await currentDatabase(handle.db), new Date(), key);
    if (values.store) await storeCheckpoint(handle.db, checkpoint);
    const json = `${JSON.stringify(checkpoint, null, 2)}\n`;
    if (values.out === undefined) {
      process.stdout.write(json);
    } else {
      const file = join(values.out, `checkpoint-${checkpoint.seq}-${checkpoint.signedAt.replace(/[:.]/g, '')}.json`);
      writeFileSync(file, json, { flag: 'wx' });
      process.stdout.write(`checkpoint of seq ${checkpoint.seq} written to ${file}${values.store ? ' and stored' : ''}\n`);
    }
  } finally {
    await handle.close();
  }
}

async function keygenCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { private: { type: 'string' }, public: { type: 'string' } }, 'stipend audit keygen');
  if (values.help) return void process.stdout.write(KEYGEN_HELP);
  if (!values.private || !values.public) throw new CliError('keygen needs --private FILE and --public FILE (see stipend audit keygen --help)');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const write = (file: string, pem: string, mode: number) => {
    try {
      writeFileSync(file, pem, { flag: 'wx', mode });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === 'EEXIST' ? `${file} exists; not overwriting a key` : `cannot write ${file}: ${code ?? (error as Error).message}`);
    }
  };
  write(values.private, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  write(values.public, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
  process.stdout.write(`key ${keyIdOf(publicKey)}: private ${values.private}, public ${values.public}\n`);
}

function chainProblems(result: AuditResult): string[] {
  const problems: string[] = [];
  if (result.firstBadSeq !== null) problems.push(`chain breaks at seq ${result.firstBadSeq} (${result.rows} rows)`);
  if (result.firstInvalidSeq !== null) problems.push(`row seq ${result.firstInvalidSeq} holds a negative cost or token count`);
  return problems;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function checkpointFiles(path: string): string[] {
  if (!isDirectory(path)) return [path];
  return readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f));
}

function readCheckpoint(file: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not JSON: not a Stipend checkpoint`);
  }
  const parsed = checkpointSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file} is not a Stipend checkpoint (${issue?.path.join('.') || 'document'}: ${issue?.message})`);
  }
  return parsed.data;
}

async function currentDatabase(db: Db): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  return rows[0]!.name;
}
