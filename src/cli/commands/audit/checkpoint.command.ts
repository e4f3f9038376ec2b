import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { verifiedHead } from '../../../ledger/audit.ts';
import { signCheckpoint } from '../../../ledger/checkpoint.ts';
import { storeCheckpoint } from '../../../ledger/checkpoint.repository.ts';
import { signingKey } from '../../audit-keys.ts';
import { CliError } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';
import { DATA_DIR_OPTION, DATABASE_ENV_HELP } from '../../database-option.ts';
import { chainProblems, currentDatabase } from './chain-problems.ts';

export const auditCheckpointCommand = defineCommand({
  name: 'checkpoint',
  summary: 'sign the chain head (seq, hash, time) with an Ed25519 key: the anchor kept outside the database',
  options: {
    key: { type: 'string', value: 'FILE', description: 'the Ed25519 private key (PEM); or STIPEND_AUDIT_SIGNING_KEY(_FILE)' },
    out: { type: 'string', value: 'DIR', description: 'write DIR/checkpoint-<seq>-<time>.json instead of printing the checkpoint' },
    store: { type: 'boolean', description: 'also append it to the write-once ledger_checkpoints table' },
    ...DATA_DIR_OPTION,
  },
  details: `${DATABASE_ENV_HELP}
  STIPEND_AUDIT_SIGNING_KEY, STIPEND_AUDIT_SIGNING_KEY_FILE  the private key, as PEM text or a file

Verifies the chain first and refuses (exit 3) to sign one that does not verify. Keep the
checkpoints where the database's administrators cannot rewrite them (object storage with
retention, another system's logs): \`stipend audit verify --checkpoint\` holds the ledger to them.`,
  examples: ['stipend audit checkpoint --key signing.pem --out checkpoints/', 'STIPEND_AUDIT_SIGNING_KEY_FILE=/keys/signing.pem stipend audit checkpoint --store'],
  async run(ctx) {
    const key = signingKey({ file: ctx.values.key, env: ctx.env, cwd: ctx.cwd });
    const out = ctx.values.out === undefined ? undefined : resolve(ctx.cwd, ctx.values.out);
    if (out !== undefined && !statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`${ctx.path}: --out ${ctx.values.out} is not a directory`);

    const handle = await ctx.database('stipend-audit');
    try {
      const { audit, head } = await verifiedHead(handle.db);
      const problems = chainProblems(audit);
      if (problems.length > 0) {
        for (const p of problems) ctx.stdout.write(`LEDGER TAMPERED: ${p}; not signing\n`);
        return 3;
      }
      const checkpoint = signCheckpoint(head, await currentDatabase(handle.db), new Date(), key);
      if (ctx.values.store) await storeCheckpoint(handle.db, checkpoint);
      const json = `${JSON.stringify(checkpoint, null, 2)}\n`;
      if (out === undefined) {
        ctx.stdout.write(json);
      } else {
        const file = join(out, `checkpoint-${checkpoint.seq}-${checkpoint.signedAt.replace(/[:.]/g, '')}.json`);
        writeFileSync(file, json, { flag: 'wx' });
        ctx.stdout.write(`checkpoint of seq ${checkpoint.seq} written to ${file}${ctx.values.store ? ' and stored' : ''}\n`);
      }
      return 0;
    } finally {
      await handle.close();
    }
  },
});
