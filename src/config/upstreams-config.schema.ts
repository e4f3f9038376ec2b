import { z } from 'zod';

// The routing file (STIPEND_UPSTREAMS_FILE, rendered by the chart from `upstreams:`):
// which upstreams exist, with references to their credentials, and which models each
// serves. docs/providers.md explains every field. Credentials are never written here:
// each is a file in the mounted Secret (STIPEND_UPSTREAM_SECRETS_DIR) or a variable.

const credential = z.union([z.strictObject({ file: z.string().min(1) }), z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) })], {
  error: 'a credential is { file: <name in the secrets folder> } or { env: <VARIABLE> }; the value itself never goes in this file',
});

const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes (it is written into every ledger row)');
const url = z.url({ protocol: /^https?$/ });
/** Client model name (as the catalog knows it) → the platform's id for it. */
const modelMap = z.record(z.string().min(1), z.string().min(1));
/** A projected service-account token's path (absolute: it is the pod's, not the Secret's). */
const tokenPath = z.string().regex(/^\//, 'an absolute path to a projected service-account token');
export const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const openai = z.strictObject({ kind: z.literal('openai'), name, baseUrl: url.default('https://api.openai.com/v1'), apiKey: credential });
const anthropic = z.strictObject({ kind: z.literal('anthropic'), name, baseUrl: url.default('https://api.anthropic.com'), apiKey: credential });
const gemini = z.strictObject({
  kind: z.literal('gemini'),
  name,
  baseUrl: url.default('https://generativelanguage.googleapis.com'),
  /** The OpenAI-compatible endpoint, for /v1/chat/completions with Gemini models. Default `<baseUrl>/v1beta/openai`. */
  openaiBaseUrl: url.optional(),
  apiKey: credential,
});

const azure = z.strictObject({
  kind: z.literal('azure-openai'),
  name,
  endpoint: url,
  /** A dated version (2025-04-01-preview) selects the dated surface; absent, the v1 surface (/openai/v1). */
  apiVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'an Azure OpenAI api-version like 2025-04-01-preview').optional(),
  deployments: modelMap.default({}),
  /** How these deployments are billed: Global Standard, Data Zone Standard or Regional Standard. */
  deploymentType: z.enum(['global', 'data-zone', 'regional']).default('global'),
  auth: z.union([
    z.strictObject({ apiKey: credential }),
    z.strictObject({
      entra: z.strictObject({
        tenantId: z.string().min(1),
        clientId: z.string().min(1),
        clientSecret: credential,
        authorityHost: url.default('https://login.microsoftonline.com'),
        scope: z.string().min(1).default('https://cognitiveservices.azure.com/.default'),
      }),
    }),
    /** AKS workload identity: the pod's federated token for an Entra app; unset fields from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST. */
    z.strictObject({
      workloadIdentity: z.strictObject({
        tenantId: z.string().min(1).optional(),
        clientId: z.string().min(1).optional(),
        tokenFile: tokenPath.optional(),
        authorityHost: url.optional(),
        scope: z.string().min(1).default('https://cognitiveservices.azure.com/.default'),
      }),
    }),
  ]),
});

const bedrock = z.strictObject({
  kind: z.literal('bedrock'),
  name,
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region like us-east-1'),
  endpoint: url.optional(),
  /** Required: Bedrock ids carry versions and inference-profile prefixes no rule derives. */
  models: modelMap.refine((m) => Object.keys(m).length > 0, 'list at least one model and its Bedrock model id or inference profile'),
  auth: z.union([
    z.strictObject({ accessKeyId: credential, secretAccessKey: credential, sessionToken: credential.optional() }),
    z.strictObject({ apiKey: credential }),
    /** EKS IRSA: STS AssumeRoleWithWebIdentity with the pod's projected token; unset fields from AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME. */
    z.strictObject({
      webIdentity: z.strictObject({
        roleArn: z.string().regex(ROLE_ARN, 'an IAM role ARN like arn:aws:iam::123456789012:role/stipend-bedrock').optional(),
        tokenFile: tokenPath.optional(),
        sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, '2 to 64 letters, digits and +=,.@-_').optional(),
        /** Default the regional endpoint https://sts.{region}.amazonaws.com. */
        stsEndpoint: url.optional(),
        durationSeconds: z.number().int().min(900).max(43_200).default(3600),
      }),
    }),
    /** EKS Pod Identity: the node agent's credentials; unset fields from AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE. */
    z.strictObject({
      podIdentity: z.strictObject({ credentialsUri: url.optional(), authorizationTokenFile: tokenPath.optional() }),
    }),
  ]),
});

const vertex = z.strictObject({
  kind: z.literal('vertex-ai'),
  name,
  project: z.string().min(1),
  location: z.string().regex(/^[a-z0-9-]+$/, 'a Vertex AI location like us-east5, europe-west1 or global'),
  endpoint: url.optional(),
  models: modelMap.default({}),
  auth: z.union([
    z.strictObject({
      serviceAccountKey: credential,
      /** Where the service account's assertions are sent (default Google's token URL). */
      tokenUrl: url.optional(),
    }),
    /** Application Default Credentials: GKE Workload Identity through the metadata server, or GOOGLE_APPLICATION_CREDENTIALS. */
    z.strictObject({ applicationDefault: z.strictObject({}) }),
  ]),
});

export const upstreamSchema = z.discriminatedUnion('kind', [openai, anthropic, gemini, azure, bedrock, vertex]);
export type UpstreamConfig = z.output<typeof upstreamSchema>;

export const routeSchema = z.strictObject({
  /** `provider/model` globs, matched like ModelPolicy allow lists (`anthropic/claude-*`). */
  models: z.array(z.string().regex(/^[a-z]+\/.+$/, 'a provider/model glob like anthropic/claude-*')).min(1),
  upstream: name,
});
export type RouteConfig = z.output<typeof routeSchema>;

export const upstreamsFileSchema = z
  .strictObject({
    upstreams: z.array(upstreamSchema).default([]),
    /** First match wins; a model no route matches goes to its provider's upstream from the environment, if any. */
    routes: z.array(routeSchema).default([]),
  })
  .superRefine((file, ctx) => {
    const names = new Set<string>();
    file.upstreams.forEach((u, i) => {
      if (names.has(u.name)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'name'], message: `the name ${u.name} is used twice` });
      names.add(u.name);
    });
    file.routes.forEach((r, i) => {
      if (!names.has(r.upstream)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'upstream'], message: `no upstream is named ${r.upstream}` });
    });
  });
export type UpstreamsFile = z.output<typeof upstreamsFileSchema>;
