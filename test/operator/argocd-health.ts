import { buildGoTool, judge } from './go-tool.ts';

/** A runner for Argo CD health scripts on gopher-lua — the Lua VM Argo CD itself embeds. */
export const buildHealthRunner = () => buildGoTool(new URL('./argocd-health/', import.meta.url).pathname, 'argocd-health');

export interface Health {
  readonly status: string;
  readonly message: string;
}

/** Runs one health script (a file) against an object the way Argo CD does. */
export const health = (runner: string, scriptFile: string, obj: unknown): Promise<Health> => judge(runner, [scriptFile], obj);
