/**
 * Where the unlocked state lives between service-worker runs: the vault key's raw bytes, held
 * only in memory that the browser drops when it quits (the extension's `storage.session`;
 * a plain variable in Node). Nothing unlocked is ever written to IndexedDB: browsers serialise
 * even a non-extractable CryptoKey's bytes into the profile's database files, so a copy of the
 * profile would yield every secret (docs/vault.md, "While unlocked").
 */
export interface SessionSecretStore {
  get(): Promise<Uint8Array<ArrayBuffer> | undefined>;
  set(secret: Uint8Array<ArrayBuffer>): Promise<void>;
  clear(): Promise<void>;
}

/** An in-memory store: Node, tests, and any host without a session storage of its own. */
export function memorySessionStore(): SessionSecretStore {
  let secret: Uint8Array<ArrayBuffer> | undefined;
  return {
    get: async () => (secret ? new Uint8Array(secret) : undefined),
    set: async (next) => {
      secret = new Uint8Array(next);
    },
    clear: async () => {
      secret?.fill(0);
      secret = undefined;
    },
  };
}
