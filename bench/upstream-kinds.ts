// Added latency per upstream kind: each path through the gateway next to the same call made
// straight to the stand-in with valid credentials (a pre-signed Bedrock request, a Vertex
// token fetched once), interleaved, so the difference is what the gateway adds on that path
// (admission, ledger, and the kind's own work: SigV4 signing, event-stream decoding, token
// cache). Plus the cost of one SigV4 signature on its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { googleTokenSource } from '../src/gateway/upstreams/google-token.ts';
import { staticSecret } from '../src/gateway/upstreams/secrets.ts';
import { sigV4Signer } from '../src/gateway/upstreams/sigv4.ts';
import { TEST_AWS_CREDENTIAL, TEST_AWS_REGION, TEST_AZURE_API_KEY, TEST_GCP_PROJECT, TEST_GEMINI_API_KEY } from '../src/mock-provider/cloud/cloud-options.ts';
import { parseResources } from '../src/policy/load-resource-folder.ts';
import type { StipendResource } from '../src/policy/resource.schema.ts';
import { once, percentile, type Target } from './load.ts';

export const KINDS_PERSON = 'kinds@bench.example';

export function kindsPolicy(): StipendResource[] {
  return parseResources(
    `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: kinds, namespace: bench }
spec:
  members: [{ email: ${KINDS_PERSON} }]
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: kinds, namespace: bench }
spec: { target: { teams: [kinds] }, scope: PerMember, amount: "1000000.00", period: Monthly }
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: kinds, namespace: bench }
spec: { target: { teams: [kinds] }, allow: ["openai/*", "anthropic/*", "google/*"] }
`,
    'kinds.yaml',
  );
}

/** The routing file, its secrets and a contract price for Vertex's Gemini; returns the gateway's env. */
export function kindsGatewayEnv(dir: string, mockUrl: string, serviceAccountKeyFile: string): Record<string, string> {
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true });
  writeFileSync(join(secrets, 'azure-key'), TEST_AZURE_API_KEY);
  writeFileSync(join(secrets, 'aws-access-key-id'), TEST_AWS_CREDENTIAL.accessKeyId);
  writeFileSync(join(secrets, 'aws-secret-access-key'), TEST_AWS_CREDENTIAL.secretAccessKey);
  writeFileSync(join(secrets, 'gemini-key'), TEST_GEMINI_API_KEY);
  const upstreams = [
    { kind: 'azure-openai', name: 'azure', endpoint: mockUrl, apiVersion: '2025-04-01-preview', auth: { apiKey: { file: 'azure-key' } } },
    { kind: 'bedrock', name: 'bedrock', region: TEST_AWS_REGION, endpoint: mockUrl, models: { 'claude-haiku-4-5': 'global.anthropic.claude-haiku-4-5-20251001-v1:0' }, auth: { accessKeyId: { file: 'aws-access-key-id' }, secretAccessKey: { file: 'aws-secret-access-key' } } },
    { kind: 'vertex-ai', name: 'vertex', project: TEST_GCP_PROJECT, location: 'global', endpoint: mockUrl, auth: { serviceAccountKey: { file: serviceAccountKeyFile }, tokenUrl: `${mockUrl}/token` } },
    { kind: 'gemini', name: 'gemini', baseUrl: mockUrl, apiKey: { file: 'gemini-key' } },
  ];
  const routes = [
    { models: ['openai/gpt-4o'], upstream: 'azure' },
    { models: ['anthropic/claude-haiku-4-5'], upstream: 'bedrock' },
    { models: ['anthropic/claude-opus-4-6', 'google/gemini-2.5-pro'], upstream: 'vertex' },
    { models: ['google/gemini-2.5-flash'], upstream: 'gemini' },
  ];
  writeFileSync(join(dir, 'upstreams.yaml'), stringify({ upstreams, routes }));
  const pricing = [{ provider: 'google', model: 'gemini-2.5-pro', platform: 'vertex-ai', input: '1.25', cachedInput: '0.125', output: '10.00', maxOutputTokens: 65536, contextWindow: 1048576, source: 'https://contracts.example.com/bench', checkedOn: '2026-11-01' }];
  writeFileSync(join(dir, 'pricing.yaml'), stringify({ models: pricing }));
  return { STIPEND_UPSTREAMS_FILE: join(dir, 'upstreams.yaml'), STIPEND_UPSTREAM_SECRETS_DIR: secrets, STIPEND_PRICING_FILE: join(dir, 'pricing.yaml') };
}

interface Pair {
  readonly kind: string;
  readonly direct: Target;
  readonly gateway: Target;
  readonly directBody: string;
  readonly gatewayBody: string;
}

export interface KindResult {
  readonly kind: string;
  readonly directP50: number;
  readonly gatewayP50: number;
  readonly addedP50: number;
  readonly addedP99: number;
}

export interface KindsResult {
  readonly kinds: readonly KindResult[];
  /** One SigV4 signature of the bench body, microseconds (p50 over many). */
  readonly signMicros: number;
}

const PROMPT = 'Benchmark request mock:tokens=16';
const pool = (origin: string) => new Pool(origin, { connections: 8, pipelining: 1 });
const fixed = (name: string, origin: string, path: string, headers: Record<string, string>): Target => ({ name, pool: pool(origin), path, headers: () => headers });

export async function benchUpstreamKinds(mockUrl: string, gatewayUrl: string, key: string, serviceAccountKeyJson: string, samples: number): Promise<KindsResult> {
  const json = { 'content-type': 'application/json' };
  const viaGateway = { ...json, authorization: `Bearer ${key}` };
  const chat = (model: string) => JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] });
  const messages = (model?: string) => JSON.stringify({ ...(model ? { model } : {}), max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] });
  const gemini = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }], generationConfig: { maxOutputTokens: 32 } });

  // Bedrock, signed once by the bench (the stand-in takes a signature for 5 minutes): the direct call does no signing.
  const bedrockBody = JSON.stringify({ max_tokens: 16, messages: [{ role: 'user', content: PROMPT }], anthropic_version: 'bedrock-2023-05-31' });
  const bedrockPath = `/model/${encodeURIComponent('global.anthropic.claude-haiku-4-5-20251001-v1:0')}/invoke`;
  const sign = sigV4Signer(TEST_AWS_REGION, 'bedrock', { accessKeyId: staticSecret(TEST_AWS_CREDENTIAL.accessKeyId, 'bench'), secretAccessKey: staticSecret(TEST_AWS_CREDENTIAL.secretAccessKey, 'bench') });
  const signedHeaders = await sign({ url: new URL(`${mockUrl}${bedrockPath}`), headers: json, body: bedrockBody }, new Date());
  const vertexToken = await googleTokenSource({ upstream: 'bench', serviceAccountKey: staticSecret(serviceAccountKeyJson, 'bench'), tokenUrl: `${mockUrl}/token` }, { now: Date.now }).token();
  const vertex = `/v1/projects/${TEST_GCP_PROJECT}/locations/global/publishers`;

  const pairs: Pair[] = [
    { kind: 'openai', direct: fixed('openai-direct', mockUrl, '/v1/chat/completions', { ...json, authorization: 'Bearer bench' }), gateway: fixed('openai-gw', gatewayUrl, '/v1/chat/completions', viaGateway), directBody: chat('gpt-4o-mini'), gatewayBody: chat('gpt-4o-mini') },
    { kind: 'azure-openai', direct: fixed('azure-direct', mockUrl, '/openai/deployments/gpt-4o/chat/completions?api-version=2025-04-01-preview', { ...json, 'api-key': TEST_AZURE_API_KEY }), gateway: fixed('azure-gw', gatewayUrl, '/v1/chat/completions', viaGateway), directBody: chat('gpt-4o'), gatewayBody: chat('gpt-4o') },
    { kind: 'anthropic', direct: fixed('anthropic-direct', mockUrl, '/v1/messages', { ...json, 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' }), gateway: fixed('anthropic-gw', gatewayUrl, '/v1/messages', viaGateway), directBody: messages('claude-sonnet-4-6'), gatewayBody: messages('claude-sonnet-4-6') },
    { kind: 'bedrock (SigV4)', direct: fixed('bedrock-direct', mockUrl, bedrockPath, signedHeaders), gateway: fixed('bedrock-gw', gatewayUrl, '/v1/messages', viaGateway), directBody: bedrockBody, gatewayBody: messages('claude-haiku-4-5') },
    { kind: 'vertex-ai claude', direct: fixed('vertex-claude-direct', mockUrl, `${vertex}/anthropic/models/claude-opus-4-6:rawPredict`, { ...json, authorization: `Bearer ${vertexToken}` }), gateway: fixed('vertex-claude-gw', gatewayUrl, '/v1/messages', viaGateway), directBody: JSON.stringify({ ...JSON.parse(messages()), anthropic_version: 'vertex-2023-10-16' }), gatewayBody: messages('claude-opus-4-6') },
    { kind: 'gemini', direct: fixed('gemini-direct', mockUrl, '/v1beta/models/gemini-2.5-flash:generateContent', { ...json, 'x-goog-api-key': TEST_GEMINI_API_KEY }), gateway: fixed('gemini-gw', gatewayUrl, '/v1beta/models/gemini-2.5-flash:generateContent', { ...json, 'x-goog-api-key': key }), directBody: gemini, gatewayBody: gemini },
    { kind: 'vertex-ai gemini', direct: fixed('vertex-gemini-direct', mockUrl, `${vertex}/google/models/gemini-2.5-pro:generateContent`, { ...json, authorization: `Bearer ${vertexToken}` }), gateway: fixed('vertex-gemini-gw', gatewayUrl, '/v1beta/models/gemini-2.5-pro:generateContent', { ...json, 'x-goog-api-key': key }), directBody: gemini, gatewayBody: gemini },
  ];

  // Every path must work before it is timed.
  for (const p of pairs) {
    for (let i = 0; i < 8; i++) {
      const [d, g] = [await once(p.direct, p.directBody), await once(p.gateway, p.gatewayBody)];
      if (d.status !== 200 || g.status !== 200) throw new Error(`${p.kind}: direct ${d.status}, gateway ${g.status}`);
    }
  }
  const lat = new Map(pairs.map((p) => [p.kind, { direct: [] as number[], gateway: [] as number[] }]));
  for (let i = 0; i < samples; i++) {
    for (const p of pairs) {
      lat.get(p.kind)!.direct.push((await once(p.direct, p.directBody)).ms);
      lat.get(p.kind)!.gateway.push((await once(p.gateway, p.gatewayBody)).ms);
    }
  }
  for (const p of pairs) await Promise.all([p.direct.pool.close(), p.gateway.pool.close()]);

  const signs: number[] = [];
  const url = new URL(`${mockUrl}${bedrockPath}`);
  for (let i = 0; i < 2000; i++) {
    const start = performance.now();
    await sign({ url, headers: json, body: bedrockBody }, new Date());
    signs.push((performance.now() - start) * 1000);
  }

  return {
    kinds: pairs.map((p) => {
      const l = lat.get(p.kind)!;
      return {
        kind: p.kind,
        directP50: percentile(l.direct, 50),
        gatewayP50: percentile(l.gateway, 50),
        addedP50: percentile(l.gateway, 50) - percentile(l.direct, 50),
        addedP99: percentile(l.gateway, 99) - percentile(l.direct, 99),
      };
    }),
    signMicros: percentile(signs, 50),
  };
}
