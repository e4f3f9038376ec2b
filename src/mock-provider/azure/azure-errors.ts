// Azure OpenAI's own errors (the gateway in front of the model, not the model):
// `{"error":{"code","message"}}`, with Azure's status codes and wording.
import type { ServerResponse } from 'node:http';
import { sendJsonWith } from '../cloud/cloud-http.ts';

export interface AzureError {
  readonly status: number;
  readonly body: unknown;
}

const err = (status: number, code: string, message: string): AzureError => ({ status, body: { error: { code, message } } });

/** A missing api-version on the dated surface is a 404, not a 400 (the route doesn't match). */
export const resourceNotFound = (): AzureError => err(404, '404', 'Resource not found');
export const apiVersionNotSupported = (): AzureError => err(400, 'BadRequest', 'API version not supported');
export const deploymentNotFound = (): AzureError =>
  err(404, 'DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.');
export const operationNotSupported = (operation: string, model: string): AzureError =>
  err(
    400,
    'OperationNotSupported',
    `The ${operation} operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
  );
export const missingKey = (): AzureError => err(401, '401', 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
export const invalidKey = (): AzureError =>
  err(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
/** A bad Entra ID token gets a different body shape (`statusCode` + `message`). */
export const invalidToken = (): AzureError => ({
  status: 401,
  body: { statusCode: 401, message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.' },
});
export const rateLimited = (): AzureError =>
  err(429, '429', 'Requests to the ChatCompletions_Create Operation have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. (mock:status=429)');

export function sendAzureError(res: ServerResponse, e: AzureError, headers: Readonly<Record<string, string>>): void {
  sendJsonWith(res, e.status, e.body, { ...headers, ...(e.status === 429 ? { 'retry-after': '1', 'retry-after-ms': '1000' } : {}) });
}
