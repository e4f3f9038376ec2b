import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyIdOf } from '../../../ledger/checkpoint.ts';
import { CliError, CommandFailed } from '../../cli-error.ts';
import { defineCommand } from '../../command.ts';

export const auditKeygenCommand = defineCommand({
  name: 'keygen',
  summary: 'make the Ed25519 key pair checkpoints are signed and verified with',
  options: {
    private: { type: 'string', value: 'FILE', required: true, description: 'where to write the private key (PEM, mode 0600)' },
    public: { type: 'string', value: 'FILE', required: true, description: 'where to write the public key (PEM), for whoever verifies' },
  },
  details: `Give the private key only to what signs checkpoints (e.g. a Kubernetes Secret mounted by the
audit-checkpoint CronJob); the public key to the auditors. Existing files are never overwritten.`,
  examples: ['stipend audit keygen --private signing.pem --public public.pem'],
  async run(ctx) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const write = (name: string, pem: string, mode: number) => {
      try {
        writeFileSync(resolve(ctx.cwd, name), pem, { flag: 'wx', mode });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new CliError(`${ctx.path}: ${name} exists; not overwriting a key`);
        throw new CommandFailed(`cannot write ${name}: ${code ?? (error as Error).message}`);
      }
    };
    write(ctx.values.private, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    write(ctx.values.public, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
    ctx.stdout.write(`key ${keyIdOf(publicKey)}: private ${ctx.values.private}, public ${ctx.values.public}\n`);
  },
});
