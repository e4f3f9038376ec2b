// AWS errors as Bedrock Runtime sends them (restJson1): the body `{"message": …}`,
// the error's name in `x-amzn-ErrorType`, the request id in `x-amzn-RequestId`.
import type { ServerResponse } from 'node:http';
import { sendJsonWith } from '../cloud/cloud-http.ts';

export interface AwsError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** `x-amzn-ErrorType` carries the name and, after a colon, the modeling namespace. */
const errorTypeHeader = (type: string): string =>
  type.endsWith('Exception') && ['ValidationException', 'ThrottlingException', 'AccessDeniedException', 'ResourceNotFoundException', 'ModelTimeoutException', 'ModelErrorException', 'ServiceUnavailableException', 'InternalServerException', 'ModelNotReadyException'].includes(type)
    ? `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`
    : `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/`;

export function sendAwsError(res: ServerResponse, e: AwsError, requestId: string): void {
  sendJsonWith(res, e.status, { message: e.message }, { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': errorTypeHeader(e.type) });
}

export const awsErrorHeaders = (type: string, requestId: string): Readonly<Record<string, string>> => ({ 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': errorTypeHeader(type) });

/** The error a `mock:status=N` directive asks for, as Bedrock's modeled exceptions. */
export function bedrockDirectiveError(status: number): AwsError {
  const tag = ` (mock:status=${status})`;
  switch (status) {
    case 400:
      return { status, type: 'ValidationException', message: `Malformed input request${tag}` };
    case 403:
      return { status, type: 'AccessDeniedException', message: `You don't have access to the model with the specified model ID.${tag}` };
    case 404:
      return { status, type: 'ResourceNotFoundException', message: `Model not found.${tag}` };
    case 408:
      return { status, type: 'ModelTimeoutException', message: `Model has timed out in processing the request.${tag}` };
    case 424:
      return { status, type: 'ModelErrorException', message: `The model returned an error.${tag}` };
    case 429:
      return { status, type: 'ThrottlingException', message: `Too many requests, please wait before trying again.${tag}` };
    case 503:
    case 529:
      return { status: 503, type: 'ServiceUnavailableException', message: `Bedrock is unable to process your request.${tag}` };
    default:
      return status >= 500
        ? { status: 500, type: 'InternalServerException', message: `The server encountered an internal error.${tag}` }
        : { status, type: 'ValidationException', message: `Error ${status}.${tag}` };
  }
}
