// Azure OpenAI: OpenAI's models in a company's Azure subscription. A model is called
// through a deployment (its name chosen by whoever created it), on one of two surfaces:
//   v1 (no apiVersion configured):  {endpoint}/openai/v1/chat/completions|responses|embeddings,
//                                   `model` = the deployment
//   dated (apiVersion configured):  {endpoint}/openai/deployments/{deployment}/chat/completions|embeddings?api-version=…
//                                   {endpoint}/openai/responses?api-version=…  (`model` = the deployment)
// Credentials: the resource's `api-key`, or an Entra ID token (client credentials).
// Answers are OpenAI's plus content-filter annotations, passed through; usage reads as OpenAI's.
import type { Dispatcher } from 'undici';
import type { UpstreamLog } from './direct.ts';
import { OPENAI_PATHS } from './direct.ts';
import type { Secret } from './secrets.ts';
import type { TokenSource } from './token-source.ts';
import { asIs, messageOf, readJson, refusedCredentials } from './upstream-response.ts';
import { trimUrl, type Upstream } from './upstream.ts';

export type AzureDeploymentType = 'global' | 'data-zone' | 'regional';

export interface AzureConfig {
  readonly name: string;
  /** https://{resource}.openai.azure.com (or a cognitiveservices.azure.com / services.ai.azure.com endpoint). */
  readonly endpoint: string;
  /** A dated api-version selects the dated surface; absent, the v1 surface. */
  readonly apiVersion?: string;
  /** Model → deployment. A model not listed is called through a deployment of its own name. */
  readonly deployments: Readonly<Record<string, string>>;
  /** How the deployments are billed (Global Standard, Data Zone, Regional): picks the price. */
  readonly deploymentType: AzureDeploymentType;
  readonly auth: { readonly apiKey: Secret } | { readonly entra: TokenSource };
  readonly log?: UpstreamLog;
}

export function azureOpenAiUpstream(c: AzureConfig): Upstream {
  const base = `${trimUrl(c.endpoint)}/openai`;
  const version = c.apiVersion === undefined ? '' : `?api-version=${encodeURIComponent(c.apiVersion)}`;

  const authHeader = async (): Promise<Record<string, string>> =>
    'apiKey' in c.auth ? { 'api-key': c.auth.apiKey.value() } : { authorization: `Bearer ${await c.auth.entra.token()}` };

  return {
    name: c.name,
    kind: 'azure-openai',
    serves: (op, provider) => provider === 'openai' && OPENAI_PATHS[op] !== undefined,
    modelId: (m) => c.deployments[m.providerModelId] ?? c.deployments[m.model] ?? m.providerModelId,
    priceScope: () => ({ platform: 'azure-openai', scope: c.deploymentType }),
    async prepare(r) {
      const path = OPENAI_PATHS[r.operation]!;
      const body = JSON.stringify({ ...r.body, model: r.modelId });
      let url: string;
      if (c.apiVersion === undefined) url = `${base}/v1${path}`;
      else if (r.operation === 'responses') url = `${base}/responses${version}`;
      else url = `${base}/deployments/${encodeURIComponent(r.modelId)}${path}${version}`;
      return { url, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(await authHeader()) }, body };
    },
    async adapt(response: Dispatcher.ResponseData, r) {
      // 401: key or token refused. 404: no such deployment or api-version — the route's
      // configuration, not the caller's request.
      const status = response.statusCode;
      if (status === 401 || status === 403 || status === 404) {
        const { json } = await readJson(response);
        c.log?.({ upstream: c.name, status, detail: messageOf(json) });
        return refusedCredentials(r.dialect, c.name, status);
      }
      return asIs(response);
    },
  };
}
