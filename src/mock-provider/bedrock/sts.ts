// AWS's pod-identity credential services, as Bedrock's callers on EKS reach them:
//
// - STS AssumeRoleWithWebIdentity (Query API, Version 2011-06-15): `POST /` form-encoded
//   (or GET with the query), unsigned, Action, Version, RoleArn, RoleSessionName,
//   WebIdentityToken, DurationSeconds (900–43200, default 3600). The token must be a JWT from
//   the cluster's OIDC issuer with audience sts.amazonaws.com and not expired; the role a
//   well-formed IAM role ARN the stand-in lets it assume. Answers the documented XML with
//   temporary credentials (ASIA… key, secret, session token, Expiration); errors as
//   `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>`.
// - The EKS Pod Identity agent: `GET /v1/credentials` with `Authorization: <projected token,
//   audience pods.eks.amazonaws.com>`; JSON {AccessKeyId, SecretAccessKey, Token, AccountId,
//   Expiration}.
//
// Issued credentials go into `issued`, which the Bedrock stand-in's SigV4 check reads: they
// sign only with their session token (x-amz-security-token) and only until they expire.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJsonWith } from '../cloud/cloud-http.ts';
import type { WorkloadIdentityStandInOptions } from '../cloud/cloud-options.ts';
import type { CloudRequest, StandIn } from '../cloud/cloud-request.ts';
import { POD_IDENTITY_AUDIENCE, STS_AUDIENCE, type WorkloadIssuer } from '../cloud/workload-issuer.ts';
import type { AwsCredential } from './sigv4-verify.ts';

const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const POD_IDENTITY_LIFETIME_S = 6 * 3600;

/** Temporary credentials the stand-ins issued, for the Bedrock stand-in to accept. */
export interface IssuedAwsCredentials {
  add(credential: AwsCredential & { readonly expiresAt: number }): void;
  all(): readonly AwsCredential[];
}

export function issuedAwsCredentials(): IssuedAwsCredentials {
  const byKey = new Map<string, AwsCredential>();
  return { add: (c) => void byKey.set(c.accessKeyId, c), all: () => [...byKey.values()] };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const accessKeyId = (): string => `ASIA${[...randomBytes(16)].map((b) => ALNUM[b % 32]).join('')}`;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId, 'content-length': String(Buffer.byteLength(xml)) });
  res.end(xml);
}

function stsError(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  sendXml(res, status, xml, requestId);
}

export function stsStandIn(options: WorkloadIdentityStandInOptions, issuer: WorkloadIssuer, issued: IssuedAwsCredentials): StandIn {
  const roles = options.roleArns === undefined ? undefined : new Set(options.roleArns);

  const assumeRole = (req: CloudRequest, res: ServerResponse, params: URLSearchParams) => {
    const requestId = randomUUID();
    const fail = (status: number, code: string, message: string) => stsError(res, status, code, message, requestId);
    const action = params.get('Action');
    if (action !== 'AssumeRoleWithWebIdentity') return fail(400, 'InvalidAction', `Could not find operation ${action ?? ''} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    if (params.get('Version') !== '2011-06-15') return fail(400, 'InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    for (const [name, field] of [['RoleArn', 'roleArn'], ['RoleSessionName', 'roleSessionName'], ['WebIdentityToken', 'webIdentityToken']] as const) {
      if (!params.get(name)) return fail(400, 'ValidationError', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    }
    const roleArn = params.get('RoleArn')!;
    const session = params.get('RoleSessionName')!;
    const role = ROLE_ARN.exec(roleArn);
    if (!role) return fail(400, 'ValidationError', 'Request ARN is invalid');
    if (!SESSION_NAME.test(session)) return fail(400, 'ValidationError', `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    const duration = Number(params.get('DurationSeconds') ?? 3600);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      return fail(400, 'ValidationError', `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${duration < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200'}`);
    }
    const token = issuer.verify(params.get('WebIdentityToken')!, STS_AUDIENCE, req.now);
    if (!token.ok) {
      if (token.reason === 'malformed') return fail(400, 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
      if (token.reason === 'expired') return fail(400, 'ExpiredTokenException', `Token expired: current date/time ${Math.floor(req.now / 1000)} must be before the expiration date/time ${token.exp ?? 0}`);
      if (token.reason === 'audience') return fail(400, 'InvalidIdentityToken', 'Incorrect token audience');
      if (token.reason === 'issuer') return fail(400, 'InvalidIdentityToken', 'No OpenIDConnect provider found in your account for the token issuer');
      return fail(400, 'InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements");
    }
    if (roles && !roles.has(roleArn)) return fail(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');

    const expiresAt = req.now + duration * 1000;
    const credential = { accessKeyId: accessKeyId(), secretAccessKey: randomBytes(30).toString('base64'), sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`, expiresAt };
    issued.add(credential);
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    const xml = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${escapeXml(token.subject)}</SubjectFromWebIdentityToken>
    <Audience>${STS_AUDIENCE}</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>${roleId}:${escapeXml(session)}</AssumedRoleId>
      <Arn>arn:aws:sts::${role[1]}:assumed-role/${escapeXml(role[2]!.split('/').at(-1)!)}/${escapeXml(session)}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${credential.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${escapeXml(credential.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${escapeXml(credential.sessionToken)}</SessionToken>
      <Expiration>${iso(expiresAt)}</Expiration>
    </Credentials>
    <Provider>${escapeXml(String(token.jwt.claims.iss))}</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;
    sendXml(res, 200, xml, requestId);
  };

  const podIdentity = (req: CloudRequest, res: ServerResponse) => {
    const authorization = String(req.headers.authorization ?? '');
    if (authorization === '') return sendJsonWith(res, 400, { code: 'InvalidParameterException', message: 'Authorization header is missing' }, {});
    const token = issuer.verify(authorization, POD_IDENTITY_AUDIENCE, req.now);
    if (!token.ok) {
      return token.reason === 'expired'
        ? sendJsonWith(res, 400, { code: 'ExpiredTokenException', message: 'Service account token has expired' }, {})
        : sendJsonWith(res, 400, { code: 'InvalidTokenException', message: 'Service account token cannot be validated' }, {});
    }
    const expiresAt = req.now + POD_IDENTITY_LIFETIME_S * 1000;
    const credential = { accessKeyId: accessKeyId(), secretAccessKey: randomBytes(30).toString('base64'), sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`, expiresAt };
    issued.add(credential);
    sendJsonWith(res, 200, { AccessKeyId: credential.accessKeyId, SecretAccessKey: credential.secretAccessKey, Token: credential.sessionToken, AccountId: '111122223333', Expiration: iso(expiresAt) }, {});
  };

  return {
    // STS's Query API lives at the root; the mock serves nothing else there.
    owns: (path, headers, rawQuery) =>
      (path === '/' && (String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || /(?:^|&)Action=/.test(rawQuery))) || path === '/v1/credentials',

    async serve(req, res) {
      if (req.path === '/v1/credentials') return req.method === 'GET' ? podIdentity(req, res) : sendJsonWith(res, 405, { code: 'MethodNotAllowed', message: 'Method not allowed' }, {});
      const params = req.method === 'POST' ? new URLSearchParams(req.body.toString('utf8')) : req.query;
      assumeRole(req, res, params);
    },
  };
}
