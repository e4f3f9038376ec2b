// One configured upstream (src/config/upstreams-config.schema.ts) as an Upstream, its
// credentials read through the secret store (and so rotated with it).
import type { Dispatcher } from 'undici';
import type { UpstreamConfig } from '../../config/upstreams-config.schema.ts';
import { azureOpenAiUpstream } from './azure-openai.ts';
import { bedrockUpstream } from './bedrock.ts';
import { anthropicUpstream, geminiUpstream, openaiUpstream, type UpstreamLog } from './direct.ts';
import { entraTokenSource } from './entra-token.ts';
import { checkServiceAccountKey, googleTokenSource } from './google-token.ts';
import type { SecretStore } from './secrets.ts';
import { UpstreamSetupError, type Upstream } from './upstream.ts';
import { vertexUpstream } from './vertex.ts';

export interface UpstreamDeps {
  /** The clock of signatures and token expiry (ms). */
  readonly now: () => number;
  /** For token requests (Entra ID). */
  readonly dispatcher: Dispatcher;
  readonly log: UpstreamLog;
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
      const auth =
        'apiKey' in c.auth
          ? { apiKey: secret(c.auth.apiKey, 'auth.apiKey') }
          : {
              entra: entraTokenSource(
                { upstream: c.name, ...c.auth.entra, clientSecret: secret(c.auth.entra.clientSecret, 'auth.entra.clientSecret') },
                deps,
              ),
            };
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
      const auth =
        'apiKey' in c.auth
          ? { apiKey: secret(c.auth.apiKey, 'auth.apiKey') }
          : {
              sigv4: {
                accessKeyId: secret(c.auth.accessKeyId, 'auth.accessKeyId'),
                secretAccessKey: secret(c.auth.secretAccessKey, 'auth.secretAccessKey'),
                ...(c.auth.sessionToken ? { sessionToken: secret(c.auth.sessionToken, 'auth.sessionToken') } : {}),
              },
            };
      return bedrockUpstream({ name: c.name, region: c.region, ...(c.endpoint ? { endpoint: c.endpoint } : {}), models: c.models, auth, now: deps.now, log: deps.log });
    }
    case 'vertex-ai': {
      const key = secret(c.auth.serviceAccountKey, 'auth.serviceAccountKey');
      checkServiceAccountKey(c.name, key);
      const token = googleTokenSource({ upstream: c.name, serviceAccountKey: key, ...(c.auth.tokenUrl ? { tokenUrl: c.auth.tokenUrl } : {}) }, deps);
      return vertexUpstream({ name: c.name, project: c.project, location: c.location, ...(c.endpoint ? { endpoint: c.endpoint } : {}), models: c.models, token, log: deps.log });
    }
  }
}
