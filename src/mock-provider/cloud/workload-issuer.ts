// The cluster's service-account token issuer, as EKS, AKS and GKE run one: the kubelet
// projects a JWT (RS256, iss = the cluster's OIDC issuer URL, sub =
// system:serviceaccount:<namespace>:<name>, aud = whoever will read it, exp about an hour)
// into the pod, and the cloud's token service verifies it against the issuer's published
// keys. The stand-ins (STS, Entra ID, the EKS Pod Identity agent) verify with this key;
// tests mint tokens with it, as the kubelet would (`mock.workloadToken()`).
import { parseJwt, secondsClaim, signJwt, verifyRs256, type Jwt } from './jwt.ts';
import { lazyKeyPair } from './cloud-options.ts';

export const TEST_OIDC_ISSUER = 'https://oidc.stipend-test.example/id/CLUSTER0001';
export const TEST_K8S_SUBJECT = 'system:serviceaccount:stipend:stipend-gateway';
/** Audiences the platforms expect in a projected token. */
export const STS_AUDIENCE = 'sts.amazonaws.com';
export const AZURE_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
export const POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com';

export interface MintOptions {
  readonly audience: string;
  readonly subject?: string;
  readonly lifetimeSeconds?: number;
  /** Issue time, ms (default the stand-ins' clock). */
  readonly now?: number;
}

export type WorkloadTokenCheck =
  | { readonly ok: true; readonly jwt: Jwt; readonly subject: string }
  | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' | 'audience' | 'issuer'; readonly exp?: number };

export interface WorkloadIssuer {
  mint(options: MintOptions): string;
  verify(token: string, audience: string, now: number): WorkloadTokenCheck;
}

/** Clock skew tolerated on exp/nbf by the token services (AWS and Entra both allow about 5 minutes). */
const SKEW_S = 300;

export function createWorkloadIssuer(clock: () => number): WorkloadIssuer {
  const key = lazyKeyPair();
  let serial = 0;
  return {
    mint({ audience, subject = TEST_K8S_SUBJECT, lifetimeSeconds = 3600, now = clock() }) {
      const iat = Math.floor(now / 1000);
      // A serial in the claims: two tokens minted in the same second still differ, as rotated ones do.
      return signJwt({ iss: TEST_OIDC_ISSUER, sub: subject, aud: [audience], iat, nbf: iat, exp: iat + lifetimeSeconds, jti: `k8s-${++serial}` }, key().privateKey, 'stipend-cluster');
    },
    verify(token, audience, now) {
      const jwt = parseJwt(token);
      if (!jwt) return { ok: false, reason: 'malformed' };
      if (!verifyRs256(jwt, key().publicKey)) return { ok: false, reason: 'signature' };
      if (jwt.claims.iss !== TEST_OIDC_ISSUER) return { ok: false, reason: 'issuer' };
      const aud = jwt.claims.aud;
      if (!(Array.isArray(aud) ? aud.includes(audience) : aud === audience)) return { ok: false, reason: 'audience' };
      const exp = secondsClaim(jwt, 'exp');
      if (exp === undefined || exp + SKEW_S <= now / 1000) return { ok: false, reason: 'expired', ...(exp === undefined ? {} : { exp }) };
      const nbf = secondsClaim(jwt, 'nbf') ?? 0;
      if (nbf - SKEW_S > now / 1000) return { ok: false, reason: 'expired', ...(exp === undefined ? {} : { exp }) };
      return { ok: true, jwt, subject: String(jwt.claims.sub ?? '') };
    },
  };
}
