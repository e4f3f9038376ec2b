// The image cannot be built here (no Docker engine): the Dockerfile is linted and its
// promises checked instead.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { adminEnvSchema } from '../../src/config/admin-config.schema.ts';
import { gatewayEnvSchema } from '../../src/config/gateway-config.schema.ts';

const root = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
const instructions = dockerfile
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'))
  .join('\n')
  .replace(/\\\n\s*/g, ' ')
  .split('\n');
const finalStage = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));

describe('Dockerfile', () => {
  it('has no lint diagnostics', () => {
    expect(validate(dockerfile)).toEqual([]);
  });

  it('is multi-stage on Node 24 with production dependencies only', () => {
    expect(instructions.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:24-/);
    expect(instructions.some((l) => /npm ci --omit=dev/.test(l))).toBe(true);
  });

  it('runs as a non-root user under tini, one entrypoint for every role', () => {
    expect(finalStage.find((l) => l.startsWith('USER '))).toMatch(/^USER 10001:10001$/);
    expect(finalStage.find((l) => l.startsWith('ENTRYPOINT '))).toBe('ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/stipend.mjs"]');
    expect(finalStage.find((l) => l.startsWith('CMD '))).toBe('CMD ["gateway"]');
  });

  it('copies only what exists and what runs; the context leaves out tests and secrets', () => {
    for (const line of finalStage.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))) {
      const source = line.split(/\s+/).filter((w) => !w.startsWith('--')).at(1)!;
      expect(existsSync(`${root}${source}`), source).toBe(true);
      expect(source).not.toMatch(/^(test|bench|\.stipend)/);
    }
    const ignore = readFileSync(`${root}.dockerignore`, 'utf8').split('\n');
    for (const entry of ['node_modules', '.git', '.stipend', 'test']) expect(ignore).toContain(entry);
  });

  it('leaves test code beside the sources out of the build context (tests, and helpers only tests import)', () => {
    const patterns = readFileSync(`${root}.dockerignore`, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    // .dockerignore globs: `**/` any folders, `*` within a name; an entry also covers what is under it.
    const toRegex = (pattern: string) => {
      const body = pattern
        .split('**/')
        .map((part) => part.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
        .join('(.*/)?');
      return new RegExp(`^${body}(/.*)?$`);
    };
    const ignored = (path: string) => patterns.some((p) => toRegex(p).test(path));
    const devDeps = Object.keys((JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
    const testOnly = (readdirSync(`${root}src`, { recursive: true }) as string[])
      .map((f) => `src/${f}`)
      .filter((f) => f.endsWith('.ts'))
      // An import statement at the start of a line; a snippet inside a string is text, not a dependency.
      .filter((f) => /test/i.test(f.split('/').at(-1)!) || devDeps.some((d) => new RegExp(`^\\s*(?:import|export)\\b[^'"\`;]*\\bfrom\\s*'${d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/[^']*)?'`, 'm').test(readFileSync(`${root}${f}`, 'utf8'))));
    expect(testOnly.length).toBeGreaterThan(20);
    expect(testOnly.filter((f) => !ignored(f))).toEqual([]);
    for (const kept of ['src/cli/main.ts', 'src/mock-provider/main.ts', 'src/gateway/rate-limiter.ts']) expect(ignored(kept), kept).toBe(false);
  });

  it('puts the CLI on PATH as `stipend`, as NOTES.txt and docs/kind.md use it (kubectl exec … -- stipend keys create)', () => {
    expect(finalStage.some((l) => /^RUN .*ln -sf? \/app\/bin\/stipend\.mjs \/usr\/local\/bin\/stipend\b/.test(l))).toBe(true);
    expect(readFileSync(`${root}charts/stipend/templates/NOTES.txt`, 'utf8')).toContain('-- stipend keys create --email');
  });

  it('exposes the ports the roles listen on by default, and its user is the one the chart runs as', () => {
    const ports = finalStage.find((l) => l.startsWith('EXPOSE '))!.split(/\s+/).slice(1).map(Number).sort();
    const operatorMetricsPort = 9090; // src/cli/commands/operator.command.ts default
    expect(ports).toEqual(
      [
        gatewayEnvSchema.shape.STIPEND_PORT.parse(undefined),
        gatewayEnvSchema.shape.STIPEND_METRICS_PORT.parse(undefined),
        adminEnvSchema.shape.STIPEND_ADMIN_PORT.parse(undefined),
        operatorMetricsPort,
      ].sort(),
    );
    const values = parse(readFileSync(`${root}charts/stipend/values.yaml`, 'utf8')) as { podSecurityContext: { runAsUser: number; runAsGroup: number } };
    expect(finalStage.find((l) => l.startsWith('USER '))).toBe(`USER ${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`);
  });
});
