// Google access tokens for Vertex AI from Application Default Credentials, by
// google-auth-library: on GKE with Workload Identity that is the metadata server
// (…/computeMetadata/v1/instance/service-accounts/default/token, `Metadata-Flavor: Google`),
// which answers for the Google service account the Kubernetes one is bound to
// (iam.gke.io/gcp-service-account); elsewhere GOOGLE_APPLICATION_CREDENTIALS (a key file or a
// workload identity federation config). The library honours GCE_METADATA_HOST, which points
// it at another metadata server (a stand-in in tests). A new GoogleAuth per refresh, so the
// library's own token cache (on its own clock) never answers instead of ours; tokens are
// cached and refreshed 5 minutes before expiry (token-source.ts).
import { GoogleAuth, gcpMetadata } from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE } from './google-token.ts';
import { cachedToken, type TokenSource } from './token-source.ts';
import { UpstreamSetupError } from './upstream.ts';

const NO_CREDENTIALS = /Could not load the default credentials/i;

/** The HTTP status a gaxios error carries, if any. */
const statusOf = (error: unknown): number | undefined => {
  const e = error as { status?: unknown; response?: { status?: unknown } };
  const status = e.response?.status ?? e.status;
  return typeof status === 'number' ? status : undefined;
};

export function googleAdcTokenSource(c: { readonly upstream: string }, deps: { readonly now: () => number }): TokenSource {
  return cachedToken(
    async () => {
      let credentials;
      try {
        const client = await new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] }).getClient();
        credentials = await client.getAccessToken();
        const res = credentials.res as { data?: { expiry_date?: unknown } } | null | undefined;
        const expiry = (client.credentials as { expiry_date?: number | null }).expiry_date ?? (typeof res?.data?.expiry_date === 'number' ? res.data.expiry_date : undefined);
        if (!credentials.token || !expiry) throw new UpstreamSetupError(`${c.upstream}: Application Default Credentials gave no access token`);
        return { token: credentials.token, expiresInMs: expiry - Date.now() };
      } catch (error) {
        if (error instanceof UpstreamSetupError) throw error;
        const message = (error as Error).message.split('\n')[0]!;
        if (NO_CREDENTIALS.test(message)) {
          // The library remembers "no metadata server" for the process; forget it, so a
          // metadata server that was late (a GKE pod's first seconds) is found at the next refresh.
          gcpMetadata.resetIsAvailableCache();
          throw new UpstreamSetupError(
            `${c.upstream}: no Google Application Default Credentials: the metadata server (${process.env.GCE_METADATA_HOST ?? process.env.GCE_METADATA_IP ?? 'metadata.google.internal'}) did not answer and GOOGLE_APPLICATION_CREDENTIALS is not set. On GKE, enable Workload Identity on the cluster and node pool and annotate the service account iam.gke.io/gcp-service-account`,
            { transient: true },
          );
        }
        const status = statusOf(error);
        const transient = status === undefined || status >= 500 || status === 429;
        throw new UpstreamSetupError(
          `${c.upstream}: Google Application Default Credentials ${transient ? 'failed' : 'were refused'}: ${message}${transient ? '' : ' (check that the Kubernetes service account is bound to a Google service account with roles/iam.workloadIdentityUser, and that one may call Vertex AI)'}`,
          { transient },
        );
      }
    },
    { now: deps.now },
  );
}
