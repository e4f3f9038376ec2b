import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * The embedded provider's storage: in memory (sign-ins end with the process, as dev mode's
 * sessions do), with expiry and revocation by grant. Given explicitly so the library does
 * not warn about its own default on every start.
 */
export function memoryAdapterFactory(): (model: string) => Adapter {
  const store = new Map<string, { readonly payload: AdapterPayload; readonly expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const uids = new Map<string, string>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
        if (model === 'Session' && payload.uid) uids.set(payload.uid, id);
        if (payload.grantId) {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          grants.set(payload.grantId, members);
        }
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => {
        const id = uids.get(uid);
        return id ? live(key(id)) : undefined;
      },
      findByUserCode: async () => undefined,
      async consume(id) {
        const entry = store.get(key(id));
        if (entry) store.set(key(id), { ...entry, payload: { ...entry.payload, consumed: Math.floor(Date.now() / 1000) } });
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const k of grants.get(grantId) ?? []) store.delete(k);
        grants.delete(grantId);
      },
    };
  };
}
