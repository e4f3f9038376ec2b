// Configuration of the cloud stand-ins (Azure OpenAI, Bedrock, Vertex AI, Gemini API):
// which credentials each accepts. Every field has a default, so a bare
// startMockProvider() serves all four with the test credentials below.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AwsCredential } from '../bedrock/sigv4-verify.ts';

export interface EntraClient {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The subject of its federated credential (AKS workload identity): `system:serviceaccount:<ns>:<name>`. */
  readonly federatedSubject?: string;
}

export interface AzureStandInOptions {
  /** Keys accepted in `api-key` (and as a bearer token on the v1 surface). */
  readonly apiKeys?: readonly string[];
  /** Opaque bearer tokens accepted as if Entra ID had issued them. */
  readonly bearerTokens?: readonly string[];
  /** Apps that may get Entra ID tokens from the stand-in's token endpoint (client credentials). */
  readonly entraClients?: readonly EntraClient[];
  /** Public keys of an outside issuer whose RS256 JWTs are accepted (audience cognitiveservices). */
  readonly issuerKeys?: readonly KeyObject[];
  /** Deployment name → model. Default: every OpenAI model of the mock deployed under its own name. */
  readonly deployments?: Readonly<Record<string, string>>;
  readonly region?: string;
}

export interface BedrockStandInOptions {
  readonly region?: string;
  readonly credentials?: readonly AwsCredential[];
  /** Bedrock API keys (`Authorization: Bearer`), the alternative to SigV4. */
  readonly apiKeys?: readonly string[];
}

export interface ServiceAccount {
  readonly email: string;
  readonly publicKey: KeyObject;
  readonly keyId?: string;
}

export interface GoogleStandInOptions {
  /** Service accounts whose signed assertions the token endpoint accepts. Default: one generated key. */
  readonly serviceAccounts?: readonly ServiceAccount[];
  /** Vertex AI projects the accounts may call. Default: any. */
  readonly projects?: readonly string[];
  /** Lifetime of the access tokens the token endpoint issues (Google: 3599 s). */
  readonly tokenLifetimeSeconds?: number;
  /** Gemini API keys (`x-goog-api-key` or `?key=`). */
  readonly geminiApiKeys?: readonly string[];
}

/** The pod-identity token services: AWS STS (web identity), the EKS Pod Identity agent, the GCE metadata server. */
export interface WorkloadIdentityStandInOptions {
  /** IAM roles a web identity may assume (STS answers AccessDenied for others). Default: any well-formed role ARN. */
  readonly roleArns?: readonly string[];
  /** The Google service account the metadata server answers for. Default: the test account. */
  readonly metadataServiceAccount?: string;
}

export interface CloudOptions {
  readonly identity?: WorkloadIdentityStandInOptions;
  readonly azure?: AzureStandInOptions;
  readonly bedrock?: BedrockStandInOptions;
  readonly google?: GoogleStandInOptions;
  /** The stand-ins' clock in ms (SigV4 skew, token expiry); default Date.now. */
  readonly now?: () => number;
}

export const TEST_AZURE_API_KEY = 'azure-test-key';
export const TEST_ENTRA_CLIENT: EntraClient = { tenantId: 'stipend-test-tenant', clientId: 'stipend-gateway', clientSecret: 'entra-test-secret', federatedSubject: 'system:serviceaccount:stipend:stipend-gateway' };
export const TEST_AWS_ROLE_ARN = 'arn:aws:iam::111122223333:role/stipend-bedrock';
export const TEST_AWS_CREDENTIAL: AwsCredential = { accessKeyId: 'AKIASTIPENDTEST00001', secretAccessKey: 'stipend/test/secret/key/0000000000000000' };
export const TEST_AWS_REGION = 'us-east-1';
export const TEST_GEMINI_API_KEY = 'gemini-test-key';
export const TEST_GCP_PROJECT = 'stipend-test';
export const TEST_SERVICE_ACCOUNT_EMAIL = 'stipend-gateway@stipend-test.iam.gserviceaccount.com';

/** A service-account key file as Google issues it (the JSON google-auth-library reads). */
export interface ServiceAccountKeyFile {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
  readonly client_id: string;
  readonly token_uri: string;
}

/** Generated on first use (RSA generation costs ~50 ms; most mocks never need it). */
export function lazyKeyPair(): () => { readonly publicKey: KeyObject; readonly privateKey: KeyObject } {
  let pair: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
  return () => (pair ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
}
