// Temporary AWS credentials from the pod's identity, for Bedrock without a long-lived key:
//
// - IRSA (EKS IAM roles for service accounts): STS AssumeRoleWithWebIdentity — one unsigned,
//   form-encoded POST to the regional endpoint (https://sts.{region}.amazonaws.com/) with
//   Action, Version=2011-06-15, RoleArn, RoleSessionName, WebIdentityToken (the projected
//   token in AWS_WEB_IDENTITY_TOKEN_FILE, read again on every call: the kubelet rotates it)
//   and DurationSeconds; the XML answer carries Credentials {AccessKeyId, SecretAccessKey,
//   SessionToken, Expiration}.
// - EKS Pod Identity: GET AWS_CONTAINER_CREDENTIALS_FULL_URI (the node's agent) with the
//   token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE as Authorization; JSON {AccessKeyId,
//   SecretAccessKey, Token, Expiration}.
//
// Either is cached and refreshed 5 minutes before Expiration, one fetch shared by the
// requests that find it due (token-source.ts). Nothing here logs a token or a key.
import { request, type Dispatcher } from 'undici';
import { readTokenFile, type ReadFile } from './token-file.ts';
import { cachedToken } from './token-source.ts';
import type { AwsCredentialProvider, ResolvedAwsCredentials } from './sigv4.ts';
import { UpstreamSetupError, trimUrl } from './upstream.ts';

export const STS_VERSION = '2011-06-15';

export interface WebIdentityConfig {
  readonly upstream: string;
  readonly roleArn: string;
  readonly tokenFile: string;
  readonly sessionName: string;
  /** Default https://sts.{region}.amazonaws.com (the regional endpoint, as the SDKs use now). */
  readonly stsEndpoint: string;
  readonly durationSeconds: number;
}

export interface PodIdentityConfig {
  readonly upstream: string;
  readonly credentialsUri: string;
  readonly authorizationTokenFile: string;
}

export interface AwsIdentityDeps {
  readonly now: () => number;
  readonly dispatcher: Dispatcher;
  readonly readFile?: ReadFile;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (text: string): string =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (XML_ENTITIES[e] ?? whole),
  );

/** The text of the first element `name` (any namespace prefix, any attributes) inside `xml`; undefined when absent. */
export function xmlText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${name}\\s*>`).exec(xml);
  if (!m) return undefined;
  const inner = m[1]!.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, c: string) => c);
  return decodeXml(inner).trim();
}

/** The credentials of an AssumeRoleWithWebIdentity answer, or undefined when it holds none. */
export function parseStsCredentials(xml: string): { readonly credentials: ResolvedAwsCredentials; readonly expiration: number } | undefined {
  const block = xmlText(xml, 'Credentials');
  if (block === undefined) return undefined;
  const accessKeyId = xmlText(block, 'AccessKeyId');
  const secretAccessKey = xmlText(block, 'SecretAccessKey');
  const sessionToken = xmlText(block, 'SessionToken');
  const expiration = Date.parse(xmlText(block, 'Expiration') ?? '');
  if (!accessKeyId || !secretAccessKey || !sessionToken || !Number.isFinite(expiration)) return undefined;
  return { credentials: { accessKeyId, secretAccessKey, sessionToken }, expiration };
}

/** STS's error (`<Error><Code>…</Code><Message>…</Message></Error>`) in one line. */
export function stsErrorOf(xml: string): { readonly code: string; readonly message: string } | undefined {
  const error = xmlText(xml, 'Error');
  if (error === undefined) return undefined;
  return { code: xmlText(error, 'Code') ?? 'Unknown', message: (xmlText(error, 'Message') ?? '').split('\n')[0]! };
}

async function send(url: string, options: Parameters<typeof request>[1], owner: string, what: string): Promise<{ status: number; text: string }> {
  try {
    const res = await request(url, { ...options, headersTimeout: 30_000, bodyTimeout: 30_000 });
    return { status: res.statusCode, text: await res.body.text() };
  } catch (error) {
    throw new UpstreamSetupError(`${owner}: ${what} ${url} could not be reached (${(error as Error).message})`, { transient: true });
  }
}

export function webIdentityCredentials(c: WebIdentityConfig, deps: AwsIdentityDeps): AwsCredentialProvider {
  const url = `${trimUrl(c.stsEndpoint)}/`;
  const source = cachedToken<ResolvedAwsCredentials>(
    async () => {
      const token = readTokenFile(c.tokenFile, `${c.upstream} (AWS web identity)`, deps.readFile);
      const form = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: STS_VERSION, RoleArn: c.roleArn, RoleSessionName: c.sessionName, WebIdentityToken: token, DurationSeconds: String(c.durationSeconds) });
      const { status, text } = await send(url, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'text/xml' }, dispatcher: deps.dispatcher }, c.upstream, 'AWS STS');
      const parsed = status === 200 ? parseStsCredentials(text) : undefined;
      if (parsed) return { token: parsed.credentials, expiresInMs: parsed.expiration - deps.now() };
      const error = stsErrorOf(text) ?? { code: `HTTP ${status}`, message: status === 200 ? 'the answer held no credentials' : '' };
      // IDPCommunicationError: STS could not reach the cluster's OIDC issuer — transient, as are STS's own failures.
      const transient = status >= 500 || status === 429 || error.code === 'IDPCommunicationError' || error.code === 'Throttling';
      const hint = transient ? '' : ` (check the role ${c.roleArn}: its trust policy must name the cluster's OIDC provider and this service account, audience sts.amazonaws.com)`;
      throw new UpstreamSetupError(`${c.upstream}: AWS STS AssumeRoleWithWebIdentity ${transient ? 'failed' : 'refused the web identity token'}: ${error.code}: ${error.message}${hint}`, { transient });
    },
    { now: deps.now },
  );
  return () => source.token();
}

export function podIdentityCredentials(c: PodIdentityConfig, deps: AwsIdentityDeps): AwsCredentialProvider {
  const source = cachedToken<ResolvedAwsCredentials>(
    async () => {
      const token = readTokenFile(c.authorizationTokenFile, `${c.upstream} (EKS Pod Identity)`, deps.readFile);
      const { status, text } = await send(c.credentialsUri, { method: 'GET', headers: { authorization: token, accept: 'application/json' }, dispatcher: deps.dispatcher }, c.upstream, 'the EKS Pod Identity agent');
      let body: { AccessKeyId?: unknown; SecretAccessKey?: unknown; Token?: unknown; Expiration?: unknown; code?: unknown; message?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // an HTML or empty answer: reported below by status
      }
      const expiration = Date.parse(String(body.Expiration ?? ''));
      if (status === 200 && typeof body.AccessKeyId === 'string' && typeof body.SecretAccessKey === 'string' && typeof body.Token === 'string' && Number.isFinite(expiration)) {
        return { token: { accessKeyId: body.AccessKeyId, secretAccessKey: body.SecretAccessKey, sessionToken: body.Token }, expiresInMs: expiration - deps.now() };
      }
      const transient = status >= 500 || status === 429;
      const why = typeof body.message === 'string' ? `${String(body.code ?? status)}: ${body.message}` : `HTTP ${status}`;
      throw new UpstreamSetupError(`${c.upstream}: the EKS Pod Identity agent ${transient ? 'failed' : 'refused this pod'}: ${why}${transient ? '' : ' (check the pod identity association of this service account)'}`, { transient });
    },
    { now: deps.now },
  );
  return () => source.token();
}
