import { buildGoTool, judge } from './go-tool.ts';

/** kstatus (sigs.k8s.io/cli-utils), the library Flux computes health with, as a command. */
export const buildKstatus = () => buildGoTool(new URL('./kstatus/', import.meta.url).pathname, 'kstatus');

/** kstatus' verdict on an object: InProgress, Current, Failed, Terminating, NotFound or Unknown. */
export const kstatus = (bin: string, obj: unknown) => judge(bin, [], obj);
