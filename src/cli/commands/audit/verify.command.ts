import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { matchCheckpoint, verifyLedger } from '../../../ledger/audit.ts';
import { checkpointSchema, checkSignature, keyIdOf, type Checkpoint } from '../../../ledger/checkpoint.ts';
import { listCheckpoints } from '../../../ledger/checkpoint.repository.ts';
import { verifyingKey } from '../../audit-keys.ts';
import { CliError, CommandFailed } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';
import { chainProblems, currentDatabase } from './chain-problems.ts';

export const auditVerifyCommand = defineCommand({
  name: 'verify',
  summary: "recompute the ledger's hash chain; with signed checkpoints, also detect a chain rewritten after an edit",
  options: {
    checkpoint: { type: 'string', value: 'FILE|DIR', description: 'a checkpoint file (stipend audit checkpoint), or a directory of them (*.json)' },
    stored: { type: 'boolean', description: 'also check the checkpoints stored in the database (audit checkpoint --store)' },
    'public-key': { type: 'string', value: 'FILE', description: 'the Ed25519 public key checkpoints are verified with (PEM); or STIPEND_AUDIT_PUBLIC_KEY(_FILE)' },
    ...DATA_DIR_OPTION,
  },
  details: `${DATABASE_ENV_HELP}
  STIPEND_AUDIT_PUBLIC_KEY, STIPEND_AUDIT_PUBLIC_KEY_FILE  the public key, as PEM text or a file

Recomputes every row's hash and link (an edited, removed or reordered row breaks the chain)
and checks each row's values. With checkpoints, also checks that the ledger still holds, at
each checkpoint's sequence number, the hash the checkpoint signed: a chain edited and then
rehashed from there on verifies on its own, but not against a checkpoint signed before.

exit code 3 when the ledger was tampered with (the findings are on stdout): a broken chain, a
negative value, a rewritten chain, removed rows, or a forged or altered checkpoint; 2 for a
checkpoint signed by another key than the one given.`,
  examples: ['stipend audit verify', 'stipend audit verify --checkpoint checkpoints/ --stored --public-key public.pem', 'stipend audit verify --data-dir .stipend'],
  async run(ctx) {
    const files = ctx.values.checkpoint === undefined ? [] : checkpointFiles(resolve(ctx.cwd, ctx.values.checkpoint)).map((file) => ({ source: file, checkpoint: readCheckpoint(file) }));
    const withCheckpoints = files.length > 0 || ctx.values.stored;
    const publicKey = withCheckpoints ? verifyingKey({ file: ctx.values['public-key'], env: ctx.env, cwd: ctx.cwd }) : null;

    const handle = await ctx.database('stipend-audit');
    try {
      const result = await verifyLedger(handle.db);
      const problems = chainProblems(result);
      const checkpoints: { source: string; checkpoint: Checkpoint }[] = [...files];
      if (ctx.values.stored) {
        for (const stored of await listCheckpoints(handle.db)) {
          if ('error' in stored) problems.push(`stored checkpoint id ${stored.id} is not a checkpoint (${stored.error})`);
          else checkpoints.push({ source: `the stored checkpoint of seq ${stored.seq}`, checkpoint: stored });
        }
      }
      const database = await currentDatabase(handle.db);
      let latest: Checkpoint | null = null;
      for (const { source, checkpoint } of checkpoints) {
        const signature = checkSignature(checkpoint, publicKey!);
        if (signature === 'other-key') {
          throw new CliError(`${ctx.path}: ${source} was signed by ${checkpoint.keyId}, not by the public key given (${keyIdOf(publicKey!)})`);
        }
        if (signature === 'invalid') {
          problems.push(`${source} is forged or altered: its signature does not verify with ${checkpoint.keyId}`);
          continue;
        }
        if (checkpoint.database !== database) ctx.stderr.write(`stipend: note: ${source} was signed for database "${checkpoint.database}", this is "${database}"\n`);
        const match = await matchCheckpoint(handle.db, checkpoint);
        if (match === 'differs') {
          problems.push(`row seq ${checkpoint.seq} differs from the checkpoint signed ${checkpoint.signedAt} (${source}): the chain was rewritten`);
        } else if (match === 'missing') {
          problems.push(`the checkpoint signed ${checkpoint.signedAt} (${source}) covers seq ${checkpoint.seq}, but the ledger has ${result.rows} rows: rows were removed`);
        } else if (!latest || BigInt(checkpoint.seq) > BigInt(latest.seq)) {
          latest = checkpoint;
        }
      }
      if (problems.length > 0) {
        for (const p of problems) ctx.stdout.write(`LEDGER TAMPERED: ${p}\n`);
        return 3;
      }
      const anchored = latest
        ? `; ${checkpoints.length} signed checkpoint(s) match, the latest at seq ${latest.seq} (signed ${latest.signedAt})`
        : withCheckpoints ? '; no checkpoints to check' : '';
      ctx.stdout.write(`ledger intact: ${result.rows} rows, hash chain verified${anchored}\n`);
      return 0;
    } finally {
      await handle.close();
    }
  },
});

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
    throw new CommandFailed(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
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
