// A commit's many writes without a promise each. The idb wrapper gives every request a promise and
// two listeners; a new device's first pull writes one record per secret in a single commit, and that
// bookkeeping was a visible share of its time (docs/architecture.md, "Sync"). Atomicity is IndexedDB's
// own: a write that fails aborts the transaction, whose `done` the committer awaits, so nothing is
// half-written either way.
import { unwrap } from 'idb';
import type { WriteTx } from './context';

/** What a bulk `put` or `delete` answers: issued. Its failure is the transaction's (`tx.done` rejects). */
const ISSUED: Promise<undefined> = Promise.resolve(undefined);

const methodOf = (target: object, prop: string | symbol) => {
  const value = Reflect.get(target, prop, target) as unknown;
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
};

/**
 * `tx` as the writes of one commit see it: each store's `put` and `delete` go straight to IndexedDB,
 * in the order they are made; reads, cursors and everything else are the wrapped transaction's.
 * Only for a committer that awaits `tx.done` (commitIndex).
 */
export function bulkWrites(tx: WriteTx): WriteTx {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop !== 'objectStore') return methodOf(target, prop);
      return (name: Parameters<WriteTx['objectStore']>[0]) => {
        const store = target.objectStore(name);
        const raw = unwrap(store);
        return new Proxy(store, {
          get(inner, key) {
            if (key === 'put')
              return (...args: Parameters<IDBObjectStore['put']>) => {
                raw.put(...args);
                return ISSUED;
              };
            if (key === 'delete')
              return (query: IDBValidKey | IDBKeyRange) => {
                raw.delete(query);
                return ISSUED;
              };
            return methodOf(inner, key);
          },
        });
      };
    },
  });
}
