// A gateway routed to the mock's cloud stand-ins (Azure OpenAI, Bedrock, Vertex AI, the
// Gemini API) the way a platform team configures one: an upstreams file, credentials as
// files in a secrets folder (a mounted Secret), a pricing file for contract prices.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { stringify } from 'yaml';
import { TEST_AWS_CREDENTIAL, TEST_AZURE_API_KEY, TEST_ENTRA_CLIENT, TEST_GCP_PROJECT, TEST_GEMINI_API_KEY } from '../../src/mock-provider/cloud/cloud-options.ts';
import type { MockProvider } from '../../src/mock-provider/mock-provider.ts';
import { parseResources } from '../../src/policy/load-resource-folder.ts';
import type { StipendResource } from '../../src/policy/resource.schema.ts';

export const ADA = 'ada@cloud.example'; // every model, a roomy budget
export const PAT = 'pat@cloud.example'; // gpt-4o-mini only
export const TIM = 'tim@cloud.example'; // every model, a budget of a hundredth of a cent

export function cloudPolicy(): StipendResource[] {
  return parseResources(
    `apiVersion: stipend.dev/v1alpha1
kind: Team
metadata: { name: cloud, namespace: acme }
spec:
  costCenter: CC-CLOUD-001
  owners: [lead@cloud.example]
  members:
    - { email: ${ADA}, jobLevel: 6 }
    - { email: ${PAT}, jobLevel: 3 }
    - { email: ${TIM}, jobLevel: 1 }
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: roomy, namespace: acme }
spec:
  target: { teams: [cloud], jobLevels: { min: 2 } }
  scope: PerMember
  amount: "1000.00"
  period: Monthly
---
apiVersion: stipend.dev/v1alpha1
kind: Budget
metadata: { name: tiny, namespace: acme }
spec:
  target: { users: [${TIM}] }
  scope: PerMember
  amount: "0.0001"
  period: Monthly
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: everything, namespace: acme }
spec:
  target: { users: [${ADA}, ${TIM}] }
  allow: ["openai/*", "anthropic/*", "google/*"]
---
apiVersion: stipend.dev/v1alpha1
kind: ModelPolicy
metadata: { name: mini-only, namespace: acme }
spec:
  target: { users: [${PAT}] }
  allow: ["openai/gpt-4o-mini"]
`,
    'cloud.yaml',
  );
}

export interface CloudSetup {
  /** The gateway's environment: the upstreams file, the secrets folder, the pricing file. */
  readonly env: Readonly<Record<string, string>>;
  readonly dir: string;
  /** Replaces a credential file's contents (a Secret rotated by Kubernetes). */
  writeSecret(name: string, value: string): void;
  remove(): void;
}

export interface CloudSetupOptions {
  /** Overrides of the upstreams file. */
  readonly upstreams?: readonly Record<string, unknown>[];
  readonly routes?: readonly Record<string, unknown>[];
  readonly secrets?: Readonly<Record<string, string>>;
  readonly pricing?: readonly Record<string, unknown>[];
}

/** Every stand-in behind one gateway, each model family routed to a cloud. */
export function cloudSetup(mock: MockProvider, options: CloudSetupOptions = {}): CloudSetup {
  const dir = mkdtempSync(join(tmpdir(), 'stipend-upstreams-'));
  const secretsDir = join(dir, 'secrets');
  const writeSecret = (name: string, value: string) => writeFileSync(join(secretsDir, name), `${value}\n`);
  mkdirSync(secretsDir);
  const secrets: Record<string, string> = {
    'azure-key': TEST_AZURE_API_KEY,
    'entra-secret': TEST_ENTRA_CLIENT.clientSecret,
    'aws-access-key-id': TEST_AWS_CREDENTIAL.accessKeyId,
    'aws-secret-access-key': TEST_AWS_CREDENTIAL.secretAccessKey,
    'vertex-sa.json': JSON.stringify(mock.serviceAccountKey()),
    'gemini-key': TEST_GEMINI_API_KEY,
    ...options.secrets,
  };
  for (const [name, value] of Object.entries(secrets)) writeSecret(name, value);
  const upstreams = options.upstreams ?? [
    { kind: 'azure-openai', name: 'azure-east', endpoint: mock.url, apiVersion: '2025-04-01-preview', deployments: { 'gpt-4o-mini': 'gpt-4o-mini' }, auth: { apiKey: { file: 'azure-key' } } },
    { kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', endpoint: mock.url, models: { 'claude-sonnet-4-6': 'global.anthropic.claude-sonnet-4-6-v1:0', 'claude-haiku-4-5': 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }, auth: { accessKeyId: { file: 'aws-access-key-id' }, secretAccessKey: { file: 'aws-secret-access-key' } } },
    { kind: 'vertex-ai', name: 'vertex-east5', project: TEST_GCP_PROJECT, location: 'us-east5', endpoint: mock.url, auth: { serviceAccountKey: { file: 'vertex-sa.json' }, tokenUrl: `${mock.url}/token` } },
    { kind: 'gemini', name: 'gemini-api', baseUrl: mock.url, apiKey: { file: 'gemini-key' } },
  ];
  const routes = options.routes ?? [
    { models: ['openai/*'], upstream: 'azure-east' },
    { models: ['anthropic/claude-sonnet-*', 'anthropic/claude-haiku-*'], upstream: 'bedrock-us' },
    { models: ['anthropic/claude-opus-*'], upstream: 'vertex-east5' },
    { models: ['google/gemini-2.5-pro'], upstream: 'vertex-east5' },
    { models: ['google/*'], upstream: 'gemini-api' },
  ];
  writeFileSync(join(dir, 'upstreams.yaml'), stringify({ upstreams, routes }));
  // Vertex's Gemini prices are not confirmed (docs/providers.md): a contract price, as an operator would set it.
  const pricing = options.pricing ?? [
    { provider: 'google', model: 'gemini-2.5-pro', platform: 'vertex-ai', input: '1.25', cachedInput: '0.125', output: '10.00', maxOutputTokens: 65536, contextWindow: 1048576, source: 'https://contracts.example.com/google-2026', checkedOn: '2026-11-01' },
  ];
  writeFileSync(join(dir, 'pricing.yaml'), stringify({ models: pricing }));
  return {
    env: {
      STIPEND_UPSTREAMS_FILE: join(dir, 'upstreams.yaml'),
      STIPEND_UPSTREAM_SECRETS_DIR: secretsDir,
      STIPEND_PRICING_FILE: join(dir, 'pricing.yaml'),
      // Only the routing file's upstreams: no provider keys from the environment.
      OPENAI_API_KEY: '',
      ANTHROPIC_API_KEY: '',
      GEMINI_API_KEY: '',
    },
    dir,
    writeSecret,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** @google/genai against the gateway, with a Stipend key where Google's clients put theirs. */
export const genaiClient = (gatewayUrl: string, key: string): GoogleGenAI => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: gatewayUrl } });
