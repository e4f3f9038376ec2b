import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { memoryAdapterFactory } from './dev-oidc-store.ts';

/** A person who can sign in at the embedded provider. */
export interface DevOidcUser {
  readonly email: string;
  readonly name: string | null;
  readonly password: string;
  readonly groups: readonly string[];
}

export interface DevOidcClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

export interface DevOidcProvider {
  readonly issuer: string;
  /** Creates the provider (clients and users are fixed from then on); requests before get 503. */
  configure(client: DevOidcClient, users: readonly DevOidcUser[]): Promise<void>;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, clientName: string, error: string | null, email: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign in · Acme SSO (dev)</title>
<style>body{font-family:system-ui,sans-serif;background:#f1f5f9;display:flex;justify-content:center;padding-top:10vh}form{background:#fff;border:1px solid #cbd5e1;border-radius:8px;padding:20px 24px;min-width:320px}
label{display:block;margin:10px 0 4px;font-size:14px}input{width:100%;padding:6px;font:inherit;box-sizing:border-box}button{margin-top:14px;padding:6px 14px;font:inherit}.err{color:#b91c1c}</style></head>
<body><form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off"><h1 style="font-size:18px;margin:0">Acme SSO <small>(stipend dev)</small></h1>
<p style="font-size:13px;color:#475569">Sign in to ${esc(clientName)}</p>${error ? `<p class="err" role="alert">${esc(error)}</p>` : ''}
<label for="email">Email</label><input id="email" name="email" type="email" value="${esc(email)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit" id="submit">Sign in</button></form></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 8192) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A real OpenID provider (`oidc-provider`) for dev mode and tests: authorization code with
 * PKCE required, signed ID tokens with email, name and a `groups` claim, a login form
 * checking each user's password, consent granted for the one first-party client. It listens
 * before it is configured so that its issuer URL can go into the portal's configuration,
 * whose redirect URI it then registers.
 */
export async function listenDevOidcProvider(host: string, port: number): Promise<DevOidcProvider> {
  let provider: Provider | null = null;
  let users = new Map<string, DevOidcUser>();
  let clientName = 'Stipend';

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, submit: boolean) => {
    const p = provider!;
    const details = await p.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (details.prompt.name === 'login') {
      if (!submit) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(uid, clientName, null, ''));
        return;
      }
      const form = await readForm(req);
      const email = (form.get('email') ?? '').trim().toLowerCase();
      const user = users.get(email);
      if (!user || !same(form.get('password') ?? '', user.password)) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(uid, clientName, 'Wrong email or password.', email));
        return;
      }
      await p.interactionFinished(req, res, { login: { accountId: user.email } }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'consent') {
      // The portal is the company's own application: consent is implied, as IdPs configure it.
      const grant = details.grantId ? await p.Grant.find(details.grantId) : new p.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant!.save();
      await p.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    res.writeHead(501).end();
  };

  const server: Server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const m = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login)?$/.exec(path);
    if (m) {
      interaction(req, res, m[1]!, m[2] !== undefined && req.method === 'POST').catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end(`sign-in failed: ${(error as Error).message}`);
      });
      return;
    }
    void provider.callback()(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    issuer,
    async configure(client, list) {
      users = new Map(list.map((u) => [u.email.toLowerCase(), u]));
      clientName = 'Stipend';
      const { default: ProviderClass } = await import('oidc-provider');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'dev', use: 'sig', alg: 'RS256' };
      provider = new ProviderClass(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            client_name: 'Stipend',
            redirect_uris: [...client.redirectUris],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        adapter: memoryAdapterFactory(),
        jwks: { keys: [jwk as never] },
        ttl: { AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Grant: 8 * 3600, Interaction: 600, Session: 8 * 3600 },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
        scopes: ['openid', 'email', 'profile', 'groups'],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
        // Claims in the ID token, as Okta and Entra put email and groups there.
        conformIdTokenClaims: false,
        findAccount: (_ctx, sub) => {
          const user = users.get(sub);
          if (!user) return undefined;
          return { accountId: sub, claims: () => ({ sub, email: user.email, email_verified: true, name: user.name ?? user.email, groups: [...user.groups] }) };
        },
        renderError: (ctx, out) => {
          ctx.type = 'text/plain';
          ctx.body = `${out.error}: ${out.error_description ?? ''}`;
        },
      });
      // Its own log noise stays out of dev mode's output.
      provider.on('server_error', () => undefined);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
