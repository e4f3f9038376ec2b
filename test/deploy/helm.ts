import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const exec = promisify(execFile);
export const chart = new URL('../../charts/stipend', import.meta.url).pathname;
const helmBin = () => (process.env.STIPEND_HELM_BIN ? join(process.env.STIPEND_HELM_BIN, 'helm') : 'helm');

export async function helm(args: readonly string[]): Promise<string> {
  return (await exec(helmBin(), [...args], { maxBuffer: 32 * 1024 * 1024 })).stdout;
}

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any; rules?: any };

export async function render(release: string, namespace: string, valuesFiles: readonly string[] = [], extra: readonly string[] = []): Promise<{ text: string; objects: K8sObject[] }> {
  const files = valuesFiles.flatMap((f) => ['-f', new URL(`./values/${f}`, import.meta.url).pathname]);
  const text = await helm(['template', release, chart, '--namespace', namespace, ...files, ...extra]);
  const objects = parseAllDocuments(text).map((d) => d.toJS() as K8sObject).filter(Boolean);
  return { text, objects };
}

export const find = (objects: readonly K8sObject[], kind: string, nameSuffix: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
