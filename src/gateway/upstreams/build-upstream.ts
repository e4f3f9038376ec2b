// One configured upstream (src/config/upstreams-config.schema.ts) as an Upstream, its
// credentials read through the secret store (and so rotated with it).
import type { Dispatcher } from 'undici';
import { ROLE_ARN, type UpstreamConfig } from '../../config/upstreams-config.schema.ts';
import { podIdentityCredentials, webIdentityCredentials } from './aws-web-identity.ts';
import { azureOpenAiUpstream } from './azure-openai.ts';
import { bedrockUpstream } from './bedrock.ts';
import { anthropicUpstream, geminiUpstream, openaiUpstream, type UpstreamLog } from './direct.ts';
import { ENTRA_AUTHORITY, entraTokenSource } from './entra-token.ts';
import { googleAdcTokenSource } from './google-adc.ts';
import { checkServiceAccountKey, googleTokenSource } from './google-token.ts';
import type { SecretStore } from './secrets.ts';
import { readTokenFile, type ReadFile } from './token-file.ts';
import { UpstreamSetupError, type Upstream } from './upstream.ts';
import { vertexUpstream } from './vertex.ts';

export interface UpstreamDeps {
  /** The clock of signatures and token expiry (ms). */
  readonly now: () => number;
  /** For token requests (Entra ID). */
  readonly dispatcher: Dispatcher;
  readonly log: UpstreamLog;
  /** The pod's workload identity as EKS / AKS inject it (fields an upstream's `auth` leaves out). */
  readonly identityEnv?: WorkloadIdentityEnv;
  /** Reads projected tokens (tests). */
  readonly readFile?: ReadFile;
}

export interface WorkloadIdentityEnv {
  readonly AWS_ROLE_ARN?: string | undefined;
  readonly AWS_WEB_IDENTITY_TOKEN_FILE?: string | undefined;
  readonly AWS_ROLE_SESSION_NAME?: string | undefined;
  readonly AWS_CONTAINER_CREDENTIALS_FULL_URI?: string | undefined;
  readonly AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE?: string | undefined;
  readonly AZURE_CLIENT_ID?: string | undefined;
  readonly AZURE_TENANT_ID?: string | undefined;
  readonly AZURE_FEDERATED_TOKEN_FILE?: string | undefined;
  readonly AZURE_AUTHORITY_HOST?: string | undefined;
}

/** A field of the upstream's `auth`, else the variable the platform injects; a start-up error naming both when neither is set. */
function pick(upstream: string, field: string, configured: string | undefined, env: WorkloadIdentityEnv, variable: keyof WorkloadIdentityEnv, injectedBy: string): string {
  const value = configured ?? env[variable];
  if (value === undefined || value === '') throw new UpstreamSetupError(`upstream ${upstream}: ${field} is not set and neither is ${variable} (${injectedBy})`);
  return value;
}

/** The token must be there at start: a pod without it is not set up for workload identity. */
function checkTokenFile(path: string, owner: string, read: ReadFile | undefined): string {
  readTokenFile(path, owner, read);
  return path;
}

/** Logs why an upstream could not be called (a token refused, a key file unreadable): the caller only sees a 502. */
function logSetupFailures(upstream: Upstream, log: UpstreamLog): Upstream {
  return {
    ...upstream,
    async prepare(request) {
      try {
        return await upstream.prepare(request);
      } catch (error) {
        if (error instanceof UpstreamSetupError) log({ upstream: upstream.name, status: 0, detail: error.message });
        throw error;
      }
    },
  };
}

export function buildUpstream(c: UpstreamConfig, secrets: SecretStore, deps: UpstreamDeps): Upstream {
  return logSetupFailures(build(c, secrets, deps), deps.log);
}

function build(c: UpstreamConfig, secrets: SecretStore, deps: UpstreamDeps): Upstream {
  const secret = (ref: Parameters<SecretStore['secret']>[0], what: string) => secrets.secret(ref, `upstream ${c.name} (${what})`);
  switch (c.kind) {
    case 'openai':
      return openaiUpstream({ name: c.name, baseUrl: c.baseUrl, apiKey: secret(c.apiKey, 'apiKey') });
    case 'anthropic':
      return anthropicUpstream({ name: c.name, baseUrl: c.baseUrl, apiKey: secret(c.apiKey, 'apiKey') });
    case 'gemini':
      return geminiUpstream({ name: c.name, baseUrl: c.baseUrl, ...(c.openaiBaseUrl ? { openaiBaseUrl: c.openaiBaseUrl } : {}), apiKey: secret(c.apiKey, 'apiKey'), log: deps.log });
    case 'azure-openai': {
      const env = deps.identityEnv ?? {};
      let auth;
      if ('apiKey' in c.auth) auth = { apiKey: secret(c.auth.apiKey, 'auth.apiKey') };
      else if ('entra' in c.auth) {
        const { clientSecret, ...entra } = c.auth.entra;
        auth = { entra: entraTokenSource({ upstream: c.name, ...entra, credential: { clientSecret: secret(clientSecret, 'auth.entra.clientSecret') } }, deps) };
      } else {
        const w = c.auth.workloadIdentity;
        const aks = 'AKS injects it when the pod is labelled azure.workload.identity/use: "true"';
        const tokenFile = pick(c.name, 'auth.workloadIdentity.tokenFile', w.tokenFile, env, 'AZURE_FEDERATED_TOKEN_FILE', aks);
        const config = {
          upstream: c.name,
          tenantId: pick(c.name, 'auth.workloadIdentity.tenantId', w.tenantId, env, 'AZURE_TENANT_ID', aks),
          clientId: pick(c.name, 'auth.workloadIdentity.clientId', w.clientId, env, 'AZURE_CLIENT_ID', 'AKS injects it from the service account annotation azure.workload.identity/client-id'),
          credential: { federatedTokenFile: checkTokenFile(tokenFile, `upstream ${c.name}`, deps.readFile) },
          authorityHost: w.authorityHost ?? (env.AZURE_AUTHORITY_HOST || ENTRA_AUTHORITY),
          scope: w.scope,
        };
        auth = { entra: entraTokenSource(config, deps) };
      }
      return azureOpenAiUpstream({
        name: c.name,
        endpoint: c.endpoint,
        ...(c.apiVersion ? { apiVersion: c.apiVersion } : {}),
        deployments: c.deployments,
        deploymentType: c.deploymentType,
        auth,
        log: deps.log,
      });
    }
    case 'bedrock': {
      const env = deps.identityEnv ?? {};
      let auth;
      if ('apiKey' in c.auth) auth = { apiKey: secret(c.auth.apiKey, 'auth.apiKey') };
      else if ('accessKeyId' in c.auth) {
        auth = {
          sigv4: {
            accessKeyId: secret(c.auth.accessKeyId, 'auth.accessKeyId'),
            secretAccessKey: secret(c.auth.secretAccessKey, 'auth.secretAccessKey'),
            ...(c.auth.sessionToken ? { sessionToken: secret(c.auth.sessionToken, 'auth.sessionToken') } : {}),
          },
        };
      } else if ('webIdentity' in c.auth) {
        const w = c.auth.webIdentity;
        const eks = 'EKS injects it when the service account is annotated eks.amazonaws.com/role-arn';
        const roleArn = pick(c.name, 'auth.webIdentity.roleArn', w.roleArn, env, 'AWS_ROLE_ARN', eks);
        if (!ROLE_ARN.test(roleArn)) throw new UpstreamSetupError(`upstream ${c.name}: AWS_ROLE_ARN is not an IAM role ARN like arn:aws:iam::123456789012:role/stipend-bedrock`);
        const tokenFile = pick(c.name, 'auth.webIdentity.tokenFile', w.tokenFile, env, 'AWS_WEB_IDENTITY_TOKEN_FILE', eks);
        const session = w.sessionName ?? env.AWS_ROLE_SESSION_NAME ?? `stipend-${c.name}`.slice(0, 64);
        const config = {
          upstream: c.name,
          roleArn,
          tokenFile: checkTokenFile(tokenFile, `upstream ${c.name}`, deps.readFile),
          sessionName: session,
          stsEndpoint: w.stsEndpoint ?? `https://sts.${c.region}.amazonaws.com`,
          durationSeconds: w.durationSeconds,
        };
        auth = { sigv4: webIdentityCredentials(config, deps) };
      } else {
        const p = c.auth.podIdentity;
        const eks = 'EKS injects it when a pod identity association names this service account';
        const credentialsUri = pick(c.name, 'auth.podIdentity.credentialsUri', p.credentialsUri, env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI', eks);
        const tokenFile = pick(c.name, 'auth.podIdentity.authorizationTokenFile', p.authorizationTokenFile, env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', eks);
        auth = { sigv4: podIdentityCredentials({ upstream: c.name, credentialsUri, authorizationTokenFile: checkTokenFile(tokenFile, `upstream ${c.name}`, deps.readFile) }, deps) };
      }
      return bedrockUpstream({ name: c.name, region: c.region, ...(c.endpoint ? { endpoint: c.endpoint } : {}), models: c.models, auth, now: deps.now, log: deps.log });
    }
    case 'vertex-ai': {
      let token;
      if ('applicationDefault' in c.auth) token = googleAdcTokenSource({ upstream: c.name }, deps);
      else {
        const key = secret(c.auth.serviceAccountKey, 'auth.serviceAccountKey');
        checkServiceAccountKey(c.name, key);
        token = googleTokenSource({ upstream: c.name, serviceAccountKey: key, ...(c.auth.tokenUrl ? { tokenUrl: c.auth.tokenUrl } : {}) }, deps);
      }
      return vertexUpstream({ name: c.name, project: c.project, location: c.location, ...(c.endpoint ? { endpoint: c.endpoint } : {}), models: c.models, token, log: deps.log });
    }
  }
}
