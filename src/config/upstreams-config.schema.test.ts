import { describe, expect, it } from 'vitest';
import { upstreamsFileSchema } from './upstreams-config.schema.ts';

const issues = (raw: unknown) => {
  const r = upstreamsFileSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the upstreams file', () => {
  it('takes every kind with its defaults', () => {
    const file = upstreamsFileSchema.parse({
      upstreams: [
        { kind: 'azure-openai', name: 'azure-east', endpoint: 'https://acme.openai.azure.com', auth: { apiKey: { file: 'azure-key' } } },
        { kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', models: { 'claude-sonnet-4-6': 'global.anthropic.claude-sonnet-4-6-v1:0' }, auth: { accessKeyId: { env: 'AWS_ACCESS_KEY_ID' }, secretAccessKey: { file: 'aws-secret' } } },
        { kind: 'vertex-ai', name: 'vertex', project: 'acme-ai', location: 'global', auth: { serviceAccountKey: { file: 'sa.json' } } },
        { kind: 'gemini', name: 'gemini', apiKey: { file: 'gemini-key' } },
      ],
      routes: [{ models: ['anthropic/*'], upstream: 'bedrock-us' }],
    });
    expect(file.upstreams[0]).toMatchObject({ deploymentType: 'global', deployments: {} });
    expect(file.upstreams[3]).toMatchObject({ baseUrl: 'https://generativelanguage.googleapis.com' });
  });

  it('refuses a credential written in the file, a route to no upstream, a name used twice, a Bedrock upstream without model ids', () => {
    expect(issues({ upstreams: [{ kind: 'gemini', name: 'g', apiKey: 'AIza-literal' }] }).join()).toContain('the value itself never goes in this file');
    expect(issues({ routes: [{ models: ['openai/*'], upstream: 'nowhere' }] })).toEqual(['routes.0.upstream: no upstream is named nowhere']);
    const twice = { kind: 'gemini', name: 'g', apiKey: { file: 'k' } };
    expect(issues({ upstreams: [twice, twice] })).toEqual(['upstreams.1.name: the name g is used twice']);
    expect(issues({ upstreams: [{ kind: 'bedrock', name: 'b', region: 'us-east-1', models: {}, auth: { apiKey: { file: 'k' } } }] }).join()).toContain('list at least one model');
    expect(issues({ upstreams: [{ kind: 'azure-openai', name: 'a', endpoint: 'https://x', apiVersion: 'latest', auth: { apiKey: { file: 'k' } } }] }).join()).toContain('api-version');
  });
});
