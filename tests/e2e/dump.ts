import type { BrowserContext, Worker } from '@playwright/test';

/**
 * Everything Keysmith keeps in the browser, as text: every IndexedDB database and store, and
 * storage.local / storage.session, read from inside the service worker. Binary fields are turned
 * into Latin-1 text so that plaintext stored as raw UTF-8 bytes would still be found.
 */
export async function dumpExtensionStorage(context: BrowserContext): Promise<string> {
  const worker: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return worker.evaluate(async () => {
    const asText = (value: unknown): unknown => {
      if (value instanceof ArrayBuffer) return String.fromCharCode(...new Uint8Array(value));
      if (ArrayBuffer.isView(value)) return String.fromCharCode(...new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      if (value instanceof CryptoKey) return `[CryptoKey extractable=${value.extractable}]`;
      if (Array.isArray(value)) return value.map(asText);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)]));
      return value;
    };
    const out: Record<string, unknown> = {};
    for (const { name } of await indexedDB.databases()) {
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        const request = indexedDB.open(name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        out[`idb:${name}/${store}`] = await new Promise((resolve, reject) => {
          const tx = db.transaction(store);
          const keys = tx.objectStore(store).getAllKeys();
          const values = tx.objectStore(store).getAll();
          tx.oncomplete = () => resolve(asText({ keys: keys.result, values: values.result }));
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    }
    const chromeApi = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<object> }> } })
      .chrome;
    out['storage.local'] = await chromeApi.storage.local.get(null);
    out['storage.session'] = await chromeApi.storage.session.get(null);
    return JSON.stringify(out);
  });
}
