// Test helpers for the Google stand-ins: a google-auth-library JWT client for the
// mock's service account, its token requests sent to the mock (the library always
// posts to https://oauth2.googleapis.com/token, whatever the key file's token_uri says).
import { JWT } from 'google-auth-library';
import type { MockProvider } from '../mock-provider.ts';

export function serviceAccountClient(mock: MockProvider, scopes = ['https://www.googleapis.com/auth/cloud-platform']): JWT {
  const key = mock.serviceAccountKey();
  const toMock: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(url.replace('https://oauth2.googleapis.com/token', key.token_uri), init);
  };
  return new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes, transporterOptions: { fetchImplementation: toMock } });
}
