// The gateway's upstreams: those of the routing file (STIPEND_UPSTREAMS_FILE) first,
// then one per provider key in the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY,
// GEMINI_API_KEY) serving that provider's models, as before routing existed.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { upstreamsFileSchema, type UpstreamsFile } from '../../config/upstreams-config.schema.ts';
import { buildUpstream, type UpstreamDeps, type WorkloadIdentityEnv } from './build-upstream.ts';
import { anthropicUpstream, geminiUpstream, openaiUpstream } from './direct.ts';
import { createRouter, type Route, type Router } from './router.ts';
import { createSecretStore, SecretError, staticSecret, type SecretStore } from './secrets.ts';
import { UpstreamSetupError, type Upstream } from './upstream.ts';

export class UpstreamConfigError extends Error {
  override readonly name = 'UpstreamConfigError';
}

/** What the loader reads of the gateway's environment. */
export interface UpstreamEnv extends WorkloadIdentityEnv {
  readonly STIPEND_UPSTREAMS_FILE?: string | undefined;
  readonly STIPEND_UPSTREAM_SECRETS_DIR: string;
  readonly OPENAI_API_KEY?: string | undefined;
  readonly OPENAI_BASE_URL: string;
  readonly ANTHROPIC_API_KEY?: string | undefined;
  readonly ANTHROPIC_BASE_URL: string;
  readonly GEMINI_API_KEY?: string | undefined;
  readonly GEMINI_BASE_URL: string;
}

export interface LoadedUpstreams {
  readonly router: Router;
  readonly secrets: SecretStore;
}

/** The Gemini API's root from its OpenAI-compatible base (…/v1beta/openai → …). */
export function geminiRoot(openaiBaseUrl: string): string {
  const url = new URL(openaiBaseUrl);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(?:v1beta|v1)(?:\/openai)?$/, '');
  return `${url.origin}${path}`;
}

export function readUpstreamsFile(path: string): UpstreamsFile {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UpstreamConfigError(`${path}: cannot read the upstreams file: ${(error as Error).message}`);
  }
  const parsed = upstreamsFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new UpstreamConfigError(`${path}: invalid upstreams file: ${issues}`);
  }
  return parsed.data;
}

export function loadUpstreams(env: UpstreamEnv, processEnv: Readonly<Record<string, string | undefined>>, deps: UpstreamDeps): LoadedUpstreams {
  const secrets = createSecretStore({ dir: env.STIPEND_UPSTREAM_SECRETS_DIR, env: processEnv });
  const file = env.STIPEND_UPSTREAMS_FILE ? readUpstreamsFile(env.STIPEND_UPSTREAMS_FILE) : { upstreams: [], routes: [] };
  const byName = new Map<string, Upstream>();
  try {
    const identityEnv: WorkloadIdentityEnv = {
      AWS_ROLE_ARN: env.AWS_ROLE_ARN,
      AWS_WEB_IDENTITY_TOKEN_FILE: env.AWS_WEB_IDENTITY_TOKEN_FILE,
      AWS_ROLE_SESSION_NAME: env.AWS_ROLE_SESSION_NAME,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
      AZURE_CLIENT_ID: env.AZURE_CLIENT_ID,
      AZURE_TENANT_ID: env.AZURE_TENANT_ID,
      AZURE_FEDERATED_TOKEN_FILE: env.AZURE_FEDERATED_TOKEN_FILE,
      AZURE_AUTHORITY_HOST: env.AZURE_AUTHORITY_HOST,
    };
    for (const c of file.upstreams) byName.set(c.name, buildUpstream(c, secrets, { identityEnv, ...deps }));
  } catch (error) {
    if (error instanceof SecretError || error instanceof UpstreamSetupError) throw new UpstreamConfigError(error.message);
    throw error;
  }
  const routes: Route[] = file.routes.map((r) => ({ models: r.models, upstream: byName.get(r.upstream)! }));

  // Provider keys in the environment: each serves its provider's models after the file's routes.
  const fromEnv = (name: string, make: () => Upstream, glob: string) => {
    if (byName.has(name)) throw new UpstreamConfigError(`the upstream name ${name} is taken by the environment's ${name.toUpperCase()}_API_KEY; name yours differently`);
    routes.push({ models: [glob], upstream: make() });
  };
  const { OPENAI_API_KEY: openaiKey, ANTHROPIC_API_KEY: anthropicKey, GEMINI_API_KEY: geminiKey } = env;
  if (openaiKey) fromEnv('openai', () => openaiUpstream({ name: 'openai', baseUrl: env.OPENAI_BASE_URL, apiKey: staticSecret(openaiKey, '$OPENAI_API_KEY') }), 'openai/*');
  if (anthropicKey) fromEnv('anthropic', () => anthropicUpstream({ name: 'anthropic', baseUrl: env.ANTHROPIC_BASE_URL, apiKey: staticSecret(anthropicKey, '$ANTHROPIC_API_KEY') }), 'anthropic/*');
  if (geminiKey) {
    const apiKey = staticSecret(geminiKey, '$GEMINI_API_KEY');
    fromEnv('gemini', () => geminiUpstream({ name: 'gemini', baseUrl: geminiRoot(env.GEMINI_BASE_URL), openaiBaseUrl: env.GEMINI_BASE_URL, apiKey, log: deps.log }), 'google/*');
  }
  return { router: createRouter(routes), secrets };
}
