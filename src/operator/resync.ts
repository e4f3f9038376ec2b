import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { ResourceKind } from '../policy/resource.schema.ts';
import { KINDS } from '../policy/kinds.ts';
import { GROUP, VERSION, keyString } from './kinds.ts';
import type { KubeApi } from './kube-api.ts';

/**
 * The level-based safety net: enqueue every object of the kinds in scope, and every
 * active row in Postgres whose object no longer exists (deleted while no operator ran,
 * or its finalizer removed by hand) — reconciling a missing object deactivates its row.
 */
export async function resync(api: KubeApi, db: Db, kinds: readonly ResourceKind[], namespaces: readonly string[] | null, enqueue: (key: string) => void, logger: Logger): Promise<void> {
  for (const kind of kinds) {
    try {
      const present = new Set<string>();
      for (const ns of namespaces ?? [null]) {
        const list = (ns
          ? await api.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: KINDS[kind].plural })
          : await api.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: KINDS[kind].plural })) as { items: { metadata: { namespace: string; name: string } }[] };
        for (const item of list.items) present.add(keyString({ kind, namespace: item.metadata.namespace, name: item.metadata.name }));
      }
      for (const key of present) enqueue(key);
      let rows = db.selectFrom(KINDS[kind].table).select(['namespace', 'name']).where('active', '=', true);
      if (namespaces) rows = rows.where('namespace', 'in', namespaces.length > 0 ? [...namespaces] : ['']);
      for (const row of await rows.execute()) {
        const key = keyString({ kind, namespace: row.namespace, name: row.name });
        if (!present.has(key)) enqueue(key);
      }
    } catch (error) {
      logger.warn({ kind, err: error }, 'resync failed; the next one retries');
    }
  }
}
