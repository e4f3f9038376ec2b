// Azure OpenAI (the data-plane inference API), in both surfaces Azure documents:
//   dated:  /openai/deployments/{deployment}/chat/completions|embeddings?api-version=YYYY-MM-DD[-preview]
//           /openai/responses?api-version=…   (the deployment is the body's `model`)
//   v1 GA:  /openai/v1/chat/completions|responses|embeddings   (no api-version; `model` = deployment)
// Checks, in Azure's order: route and api-version (a missing one is 404 "Resource not
// found", an unknown one 400 "API version not supported"), credentials (401), the
// deployment (404 DeploymentNotFound) and whether it serves the operation (400), then
// the body as OpenAI checks it. Answers are OpenAI's plus content-filter annotations.
import type { WorkloadIssuer } from '../cloud/workload-issuer.ts';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseObject, sendJsonWith } from '../cloud/cloud-http.ts';
import { TEST_AZURE_API_KEY, lazyKeyPair, type AzureStandInOptions } from '../cloud/cloud-options.ts';
import type { CloudRequest, StandIn } from '../cloud/cloud-request.ts';
import { OPENAI_MODELS } from '../mock-models.ts';
import { ROUTES } from '../mock-routes.ts';
import { azureAuth } from './azure-auth.ts';
import { apiVersionNotSupported, deploymentNotFound, operationNotSupported, resourceNotFound, sendAzureError } from './azure-errors.ts';
import { azureRelay, type AzureOperation } from './azure-filter.ts';

const OPERATIONS: Readonly<Record<string, AzureOperation>> = { 'chat/completions': 'chat', responses: 'responses', embeddings: 'embeddings' };
const OPENAI_PATH: Readonly<Record<AzureOperation, string>> = { chat: '/v1/chat/completions', responses: '/v1/responses', embeddings: '/v1/embeddings' };
/** How Azure names each operation in OperationNotSupported. */
const OPERATION_NAME: Readonly<Record<AzureOperation, string>> = { chat: 'chatCompletion', responses: 'responses', embeddings: 'embeddings' };
/** The Responses API exists from this dated version on. */
const FIRST_RESPONSES_VERSION = '2025-03-01-preview';

interface Target {
  readonly operation: AzureOperation;
  readonly surface: 'dated' | 'v1';
  /** From the path (dated chat/embeddings); otherwise the body's `model`. */
  readonly deployment?: string;
}

function target(path: string): Target | undefined {
  const dated = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(path);
  if (dated) return { operation: OPERATIONS[dated[2]!]!, surface: 'dated', deployment: decodeURIComponent(dated[1]!) };
  if (path === '/openai/responses') return { operation: 'responses', surface: 'dated' };
  const v1 = /^\/openai\/v1\/(chat\/completions|responses|embeddings)$/.exec(path);
  if (v1) return { operation: OPERATIONS[v1[1]!]!, surface: 'v1' };
  return undefined;
}

/**
 * A dated version is accepted when well formed and not dated after today (no such
 * version can exist yet); Azure checks against its published list, which moves monthly.
 */
function datedVersionOk(version: string, now: number): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(-preview)?$/.exec(version);
  return m !== null && m[1]! >= '2022-12-01' && m[1]! <= new Date(now).toISOString().slice(0, 10);
}

const isEmbeddingModel = (model: string): boolean => model.includes('embedding');

export function azureStandIn(options: AzureStandInOptions = {}, workloadIssuer?: WorkloadIssuer): StandIn {
  const deployments: Readonly<Record<string, string>> = options.deployments ?? Object.fromEntries(OPENAI_MODELS.map((m) => [m, m]));
  const apiKeys = options.apiKeys ?? [TEST_AZURE_API_KEY];
  const signingKey = lazyKeyPair();
  const auth = azureAuth(options, apiKeys, signingKey, workloadIssuer);
  const region = options.region ?? 'eastus2';

  return {
    owns: (path) => path.startsWith('/openai/') || /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path),

    async serve(req: CloudRequest, res: ServerResponse, settings) {
      const requestId = randomUUID();
      const headers = { 'apim-request-id': requestId, 'x-request-id': requestId, 'x-ms-region': region };
      const entra = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.path);
      if (entra) return req.method === 'POST' ? auth.issueToken(req, res, decodeURIComponent(entra[1]!)) : sendAzureError(res, resourceNotFound(), headers);

      const t = req.method === 'POST' ? target(req.path) : undefined;
      if (!t) return sendAzureError(res, resourceNotFound(), headers);
      const version = req.query.get('api-version');
      if (t.surface === 'dated') {
        if (version === null) return sendAzureError(res, resourceNotFound(), headers);
        if (!datedVersionOk(version, req.now) || (t.operation === 'responses' && version.replace(/-preview$/, '') < FIRST_RESPONSES_VERSION.replace(/-preview$/, ''))) {
          return sendAzureError(res, apiVersionNotSupported(), headers);
        }
      } else if (version !== null && version !== 'preview' && version !== 'latest') {
        return sendAzureError(res, apiVersionNotSupported(), headers);
      }
      const denied = auth.check(req);
      if (denied) return sendAzureError(res, denied, headers);

      const body = parseObject(req.body);
      if (!body) {
        const message = 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.';
        return sendJsonWith(res, 400, { error: { message, type: 'invalid_request_error', param: null, code: null } }, headers);
      }
      const deployment = t.deployment ?? (typeof body.model === 'string' ? body.model : undefined);
      if (deployment === undefined) {
        return sendJsonWith(res, 400, { error: { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null } }, headers);
      }
      const model = deployments[deployment];
      if (model === undefined) return sendAzureError(res, deploymentNotFound(), headers);
      if (isEmbeddingModel(model) !== (t.operation === 'embeddings')) return sendAzureError(res, operationNotSupported(OPERATION_NAME[t.operation], model), headers);

      const sink = azureRelay(res, t.operation, headers);
      const reply = { res: sink, wire: 'openai' as const, requestId, startedAt: req.startedAt };
      await ROUTES[OPENAI_PATH[t.operation]]!.serve({ ...body, model }, reply, settings);
    },
  };
}
