// Projected service-account tokens (EKS IRSA, AKS workload identity): a JWT the kubelet
// writes into the pod and replaces before it expires (about hourly). It is read again on
// every exchange, never cached, so a rotated token is used at once. Its contents are
// never logged: only the path.
import { readFileSync } from 'node:fs';
import { UpstreamSetupError } from './upstream.ts';

export type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** The token in `path`, trimmed; a setup error naming the path (and who needs it) when it cannot be read. */
export function readTokenFile(path: string, owner: string, read: ReadFile = readUtf8): string {
  let text: string;
  try {
    text = read(path).trim();
  } catch (error) {
    throw new UpstreamSetupError(`${owner}: cannot read the projected service-account token ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); is the pod's service account set up for workload identity?`);
  }
  if (text === '') throw new UpstreamSetupError(`${owner}: the projected service-account token ${path} is empty`);
  return text;
}
