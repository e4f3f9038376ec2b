// `stipend dev`: PGlite, the example policy folder, the built-in mock provider, demo keys.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startDev, type RunningDev } from '../src/dev/start-dev.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dev(dataDir: string): Promise<RunningDev> {
  return startDev({ dataDir, policyDir: 'examples', port: 0, host: '127.0.0.1', env: {} }, pino({ level: 'silent' }));
}

describe('stipend dev', () => {
  it('serves the example policy with demo keys, enforces it, and keeps keys across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stipend-dev-'));
    dirs.push(dataDir);
    const first = await dev(dataDir);
    let keys: Record<string, string>;
    try {
      expect(first.mock).not.toBeNull();
      keys = JSON.parse(await readFile(join(dataDir, 'demo-keys.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(keys)).toEqual(expect.arrayContaining(['ada@acme.example', 'sam@acme.example', 'dieter@acme.example']));

      const sam = new OpenAI({ apiKey: keys['sam@acme.example']!, baseURL: `${first.gateway.url}/v1`, maxRetries: 0 });
      const ok = await sam.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
      expect(ok.choices[0]?.message.content).toBeTruthy();
      const denied = await sam.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] }).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    } finally {
      await first.close();
    }

    const second = await dev(dataDir);
    try {
      expect(second.keys).toEqual(keys);
      const ada = new OpenAI({ apiKey: keys['ada@acme.example']!, baseURL: `${second.gateway.url}/v1`, maxRetries: 0 });
      const stream = await ada.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text.length).toBeGreaterThan(0);
      // The earlier request is still in the embedded database after the restart.
      const rows = await second.gateway.app.inject({ method: 'GET', url: '/readyz' });
      expect(rows.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });
});
