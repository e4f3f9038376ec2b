import { describe, expect, it } from 'vitest';
import { createRouter } from './router.ts';
import type { Operation, Upstream } from './upstream.ts';

const upstream = (name: string, operations: readonly Operation[], ids: Readonly<Record<string, string>> | null = null): Upstream => ({
  name,
  kind: 'bedrock',
  serves: (op) => operations.includes(op),
  modelId: (m) => (ids ? (ids[m.model] ?? null) : m.providerModelId),
  priceScope: () => null,
  prepare: () => Promise.reject(new Error('not called')),
  adapt: () => Promise.reject(new Error('not called')),
});
const claude = { provider: 'anthropic', model: 'claude-sonnet-4-6', providerModelId: 'claude-sonnet-4-6', family: ['anthropic/claude-sonnet-4-6'] };

describe('routes', () => {
  const bedrock = upstream('bedrock-us', ['messages'], { 'claude-sonnet-4-6': 'global.anthropic.claude-sonnet-4-6-v1:0' });
  const direct = upstream('anthropic', ['messages', 'chat.completions']);
  const router = createRouter([
    { models: ['anthropic/claude-sonnet-*'], upstream: bedrock },
    { models: ['anthropic/*'], upstream: direct },
  ]);

  it('the first route whose upstream takes the operation serves it', () => {
    expect(router.route(claude, 'messages')).toMatchObject({ ok: true, upstream: bedrock, modelId: 'global.anthropic.claude-sonnet-4-6-v1:0' });
    expect(router.route(claude, 'chat.completions')).toMatchObject({ ok: true, upstream: direct, modelId: 'claude-sonnet-4-6' });
  });

  it('says why nothing serves a request: no route, not this operation, or no model id', () => {
    const onlyBedrock = createRouter([{ models: ['anthropic/*'], upstream: bedrock }]);
    expect(onlyBedrock.route(claude, 'chat.completions')).toMatchObject({ ok: false, reason: 'operation', upstream: bedrock });
    const opus = { ...claude, model: 'claude-opus-4-6', providerModelId: 'claude-opus-4-6', family: ['anthropic/claude-opus-4-6'] };
    expect(onlyBedrock.route(opus, 'messages')).toMatchObject({ ok: false, reason: 'model' });
    expect(onlyBedrock.route({ ...claude, provider: 'openai', family: ['openai/gpt-4o'] }, 'messages')).toEqual({ ok: false, reason: 'unrouted' });
    expect(onlyBedrock.servedBy(opus)).toBeNull();
    expect(router.upstreams.map((u) => u.name)).toEqual(['bedrock-us', 'anthropic']);
  });
});
