import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const ITERATIONS = 4096; // Postgres' default scram_iterations

/**
 * The SCRAM-SHA-256 verifier Postgres stores for a password (RFC 5802/7677), computed
 * here so that `create role … password '<verifier>'` never sends the password itself,
 * which a server logging DDL would otherwise write to its log. Postgres applies SASLprep
 * to the password; NFKC normalization is the part of it that changes real passwords.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): string {
  const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
