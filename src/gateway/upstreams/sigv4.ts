// AWS Signature Version 4 for the gateway's calls to Bedrock, with the AWS SDK's own
// signer (@smithy/signature-v4) and node:crypto's SHA-256 (@smithy/hash-node). The
// credentials are read per request, so a rotated key signs the next call; temporary ones
// (STS web identity, EKS Pod Identity) come from a provider and carry a session token,
// which the signer sends and signs as x-amz-security-token.
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Secret } from './secrets.ts';

export interface AwsCredentials {
  readonly accessKeyId: Secret;
  readonly secretAccessKey: Secret;
  readonly sessionToken?: Secret;
}

/** Credentials as they sign one request. */
export interface ResolvedAwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Temporary credentials, cached and refreshed by their source. */
export type AwsCredentialProvider = () => Promise<ResolvedAwsCredentials>;

class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
}

export interface SignInput {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type Signer = (input: SignInput, at: Date) => Promise<Record<string, string>>;

/** Signs a POST for `service` in `region`; returns the headers to send (the input's, plus host, date, token, authorization). */
export function sigV4Signer(region: string, service: string, credentials: AwsCredentials | AwsCredentialProvider): Signer {
  const signer = new SignatureV4({
    region,
    service,
    sha256: Sha256,
    // Bedrock does not want x-amz-content-sha256 (it is S3's); the payload is still hashed into the signature.
    applyChecksum: false,
    credentials:
      typeof credentials === 'function'
        ? credentials
        : async () => ({
            accessKeyId: credentials.accessKeyId.value(),
            secretAccessKey: credentials.secretAccessKey.value(),
            ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken.value() } : {}),
          }),
  });
  return async ({ url, headers, body }, at) => {
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { ...headers, host: url.host },
        body,
      },
      { signingDate: at },
    );
    return signed.headers as Record<string, string>;
  };
}
