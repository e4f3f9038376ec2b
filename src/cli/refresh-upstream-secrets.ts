import type { Logger } from 'pino';
import type { SecretStore } from '../gateway/upstreams/secrets.ts';

/**
 * Re-reads the upstreams' credential files every `intervalMs` and on SIGHUP, so a rotated
 * Secret is used without a restart. Logs which files changed or could not be read (paths,
 * never contents). Returns a function that stops it.
 */
export function refreshUpstreamSecrets(secrets: SecretStore, intervalMs: number, logger: Logger): () => void {
  const refresh = (why: string) => {
    const { changed, failed } = secrets.refresh();
    if (changed.length > 0) logger.info({ files: changed, why }, 'upstream credentials changed; the next requests use them');
    if (failed.length > 0) logger.warn({ files: failed, why }, 'upstream credential files could not be read; keeping their last values');
  };
  const timer = setInterval(() => refresh('interval'), intervalMs);
  timer.unref();
  const onHangup = () => refresh('SIGHUP');
  process.on('SIGHUP', onHangup);
  return () => {
    clearInterval(timer);
    process.off('SIGHUP', onHangup);
  };
}
