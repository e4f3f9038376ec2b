// Revocation through the gateway, with the official SDK: one key stops, nothing else does.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKeys } from '../src/keys/api-keys.repository.ts';
import { startHarness, type Harness } from './support/gateway-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const statusOf = (client: OpenAI) =>
  client.models.list().then(
    () => 200,
    (e: InstanceType<typeof OpenAI.APIError>) => e.status ?? 0,
  );

describe('revoking a key at the gateway', () => {
  // How fast (the target is a second) is measured by `npm run bench` (bench/leaver-to-401.ts);
  // here the deadlines are generous, so a loaded CI machine does not fail a correct gateway.
  it('answers 401 for that key while the person’s other key and everyone else keep working', async () => {
    const second = (await createApiKey(h.database.handle.db, 'ada@acme.example', 'laptop')).key;
    const adaSecond = new OpenAI({ apiKey: second, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const ada = h.openai('ada@acme.example');
    const deadline = Date.now() + 20_000;
    while ((await statusOf(adaSecond)) !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10)); // the new key reaches the replica
    expect(await statusOf(adaSecond)).toBe(200);

    await revokeApiKeys(h.database.handle.db, { key: h.keys['ada@acme.example']! });
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() < revokedAt + 20_000) status = await statusOf(ada);
    expect(status).toBe(401);

    expect(await statusOf(adaSecond)).toBe(200);
    const chat = await adaSecond.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.choices.length).toBeGreaterThan(0);
    for (const email of ['grace@acme.example', 'alan@acme.example', 'sam@acme.example']) expect(await statusOf(h.openai(email))).toBe(200);
  });
});
