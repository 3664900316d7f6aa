import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { Sealed } from '../crypto/aes-gcm';
import type { ItemKind, Versioned } from './binding';
import type { KdfParams } from './kdf-params';

/**
 * IndexedDB layout. Everything a user typed lives only inside `Cipher` fields; the clear fields are
 * random ids, foreign ids, flags, counters and timestamps. Bump DB_VERSION and add a step to
 * `upgrade` for every change; never edit a shipped step.
 */
export const DB_VERSION = 4;
export const DEFAULT_DB_NAME = 'keysmith-vault';

/** AES-256-GCM output as WebCrypto returns it and as stored: `data` is ciphertext followed by the 16-byte tag. */
export type Cipher = Sealed;

export interface AccountRecord {
  /** Random id; part of the associated data of the wrapped vault key. */
  id: string;
  /** Argon2id for vaults made since DB version 2; PBKDF2-HMAC-SHA256 for older ones (both accepted). */
  kdf: KdfParams;
  /** vaultKey wrapped by wrapKey (HKDF of the master key). */
  wrappedVaultKey: Cipher;
  createdAt: number;
}

export interface SettingsRecord {
  autoLockMinutes: number | null;
  clipboardClearSeconds: number;
  /** Set by the user; absent: the default name this browser gives itself (device-name.ts). */
  deviceName?: string;
}

/**
 * How settings are stored: sealed with the vault key (`settings/<account id>/settings`), so only
 * the vault's owner can change them and an edited record is detected. Vaults made by 0.1.0 kept a
 * clear SettingsRecord; it is sealed at the next unlock.
 */
export interface SealedSettingsRecord {
  sealed: Cipher;
}

export interface ThrottleRecord {
  failures: number;
  notBefore: number;
}

export interface OrgRecord {
  id: string;
  /** vaultKey, `org/<id>/name`. */
  name: Cipher;
  createdAt: number;
}

/**
 * What every record that syncs carries besides its ciphertext (binding.ts): `ver`, its edit counter,
 * part of every field's associated data; `rev`, the server's revision this copy is based on (absent:
 * never acknowledged by a server). A deletion waiting to be sent is an outbox tombstone.
 */
export interface Synced extends Versioned {
  rev?: number;
  /**
   * The highest version of this record the server has shown or acknowledged. An incoming copy must
   * be newer than this (a replayed old revision is refused); `ver` may be higher while an edit waits.
   */
  seen?: number;
}

export interface SafeRecord extends Synced {
  id: string;
  orgId: string;
  /** safeKey wrapped by vaultKey, `safe/<id>/key`. */
  wrappedKey: Cipher;
  /** safeKey, bound by safeNameAd. */
  name: Cipher;
  createdAt: number;
}

export interface EnvironmentRecord extends Synced {
  id: string;
  safeId: string;
  /** safeKey, bound by envAd(…, 'name'). */
  name: Cipher;
  /** safeKey, bound by envAd(…, 'flags'): JSON EnvironmentFlags, the truth `protected` and `position` are read from. */
  flags?: Cipher;
  /** Copies of the sealed flags, written only by this device after opening them (for sorting and listing). */
  protected: boolean;
  position: number;
}

/** Sealed with the environment, so a sync server cannot unmark Production. */
export interface EnvironmentFlags {
  protected: boolean;
  position: number;
}

export interface SecretRecord extends Synced {
  id: string;
  safeId: string;
  envId: string;
  /** safeKey, bound by secretAd(…, 'meta'): JSON SecretMeta. */
  meta: Cipher;
  /** safeKey, bound by secretAd(…, 'value'). */
  value: Cipher;
  /**
   * safeKey, bound by secretAd(…, 'history'), padded: the earlier versions (history.ts). Absent on
   * records written before history existed; a meta sealed with `history: true` says it must be here.
   */
  history?: Cipher;
  updatedAt: number;
}

/** The encrypted list of names for one environment, so listing never decrypts values. */
export interface IndexRecord {
  envId: string;
  safeId: string;
  /** Incremented on every write; a write checks it to detect a concurrent writer. */
  revision: number;
  /** safeKey, `index/<envId>/entries`: JSON IndexEntry[]. */
  entries: Cipher;
}

export interface OverrideRecord extends Synced {
  secretId: string;
  safeId: string;
  envId: string;
  /**
   * vaultKey (personal, never a safe key), bound by overrideAd: JSON OverrideState. Records made
   * before the binding (no `ver`) hold the bare value and only the clear `active`.
   */
  value: Cipher;
  /** Copy of the sealed flag, written only by this device after opening it. */
  active: boolean;
  updatedAt: number;
}

export interface OverrideState {
  value: string;
  active: boolean;
}

/**
 * A change not yet acknowledged by the sync server, written in the same transaction as the change.
 * Keyed by item id: a record edited twice before a push is sent once, as it is then. `deleted` is
 * a tombstone, with the revision it deletes.
 */
export interface OutboxEntry {
  id: string;
  kind: ItemKind;
  safeId: string;
  deleted: boolean;
  /** For a tombstone: the server revision of the deleted record (0 if it never reached the server)… */
  rev: number;
  /** …and its last version, to tell the server's echo of this device's own edit from another device's newer one. */
  ver: number;
  /** The server refused this change alone (too large, invalid): kept and reported, not sent again until edited. */
  refused?: string;
  /**
   * For a tombstone: the deletion's own version, above any the device saw (lib/sync/deletions.ts).
   * Absent on tombstones queued before deletions were sealed: then `ver + 1`.
   */
  gone?: number;
  /**
   * A secret deleted forever from Recently deleted: a deletion over its own deletion, which the
   * server writes over that tombstone (and frees what it kept of the secret) rather than take as done.
   */
  erase?: true;
  /** For `erase`: the version of the deletion it erases (the one listed in Recently deleted). */
  over?: number;
  /** A safe's deletion, sealed when it was made (its key goes with it). */
  sealed?: string;
}

/** The server's copy of an item, as it arrived (ciphertext fields are opaque strings). */
export interface ServerItem {
  id: string;
  safe_id: string;
  kind: string;
  revision: number;
  deleted: boolean;
  ciphertext: Record<string, string>;
}

/**
 * What this device sent in pushes whose answers it has not had yet, per item: each sealing's
 * `sealingOf` (lib/sync/items.ts). A server copy found here later is this device's own earlier write
 * (the answer was lost on the way), not another device's edit: no conflict.
 */
export type SentLog = Record<string, string[]>;

/**
 * The highest version of each record deleted here or by a sealed deletion from the server, by item
 * id: a copy at or below it is an old one the server kept, refused (lib/sync/deletions.ts).
 */
export type GoneLog = Record<string, number>;

/**
 * A full resync whose snapshot lacks records this device got from the server: nothing is removed
 * until the user answers (lib/sync/prune.ts). `ids` are the item ids in question; the counts are what
 * the question says.
 */
export interface WipeQuestion {
  ids: string[];
  safes: number;
  environments: number;
  secrets: number;
  at: number;
}

/** Conflict marks to delete on the server, by the id of the item in conflict (a secret's, or `<secret id>.override`): their conflict was settled here (lib/sync/conflict-marks.ts). */
export type MarkDeletions = Record<string, { safeId: string; ver: number; revision: number; gone: string }>;

/**
 * Each safe's manifest as this device knows it (lib/sync/manifest-store.ts): the highest version seen
 * or written, the server's revision of it, the entries (lib/sync/manifest.ts's bytes), whether this
 * device has entries still to send, and the items found wanting at the last check, by item id.
 */
export type ManifestStates = Record<
  string,
  {
    ver: number;
    rev: number;
    entries: Uint8Array<ArrayBuffer>;
    dirty: boolean;
    /** Since when, and how many items, the list holds that the server's copy does not (when to send it). */
    dirtySince?: number;
    dirtyCount?: number;
    suspects: Record<string, 'withheld' | 'stale' | 'resurrected'>;
  }
>;

/** This vault's sync account and where its pulls have reached. E-mail and server address are not secrets. */
export interface SyncLink {
  serverUrl: string;
  email: string;
  /** Known on the device that created the account. */
  userId?: string;
  orgId: string;
  /** The server's delta cursor after the last complete pull; absent before the first. */
  cursor?: string;
  lastSyncedAt?: number;
  /**
   * The server holds the auth secret bound to its origin and this e-mail (lib/sync/auth-secret.ts):
   * the unbound one is never sent again. Absent on links made before that binding, until they move.
   */
  authBound?: true;
  /** The last failure, as data for the status line (`code` and this client's English `message`; `status` for a refusal). */
  lastError?: { code: string; message: string; at: number; status?: number };
}

/** A secret edited here and elsewhere: the server's copy waits beside the local one until the user chooses. */
export interface ConflictRecord {
  id: string;
  safeId: string;
  envId: string;
  theirs: ServerItem;
  at: number;
  /**
   * The conflict as the account's other devices learn of it (lib/sync/conflict-marks.ts): `here`,
   * this device found it and its mark is on the server; `there`, another device's mark told this
   * one, and `theirs` is that device's held copy, not the server's. `ver` is the mark's version,
   * `against` the version of the server's copy it conflicts with.
   */
  mark?: { from: 'here' | 'there'; revision: number; ver: number; against: number };
}

/**
 * Two secrets holding one name in one environment, each created on a different device: `secretId`
 * is marked beside `other` (the smallest id of the name) until the user chooses. Keyed
 * `<secretId>.name` (name-clashes.ts), so a secret can also have an edit conflict.
 */
export interface NameClashRecord {
  id: string;
  kind: 'name';
  secretId: string;
  other: string;
  safeId: string;
  envId: string;
  at: number;
}

export interface VaultDB extends DBSchema {
  meta: {
    /**
     * `bound`: every record carries sync's binding (upgrade.ts), so unlock need not look.
     * `references`: every index lists the references of values written before they existed (upgrade.ts).
     */
    key: 'account' | 'settings' | 'throttle' | 'bound' | 'references';
    value: AccountRecord | SettingsRecord | SealedSettingsRecord | ThrottleRecord | BoundRecord;
  };
  orgs: { key: string; value: OrgRecord };
  safes: { key: string; value: SafeRecord };
  environments: { key: string; value: EnvironmentRecord; indexes: { bySafe: string } };
  secrets: { key: string; value: SecretRecord; indexes: { bySafe: string; byEnv: string } };
  indexes: { key: string; value: IndexRecord; indexes: { bySafe: string } };
  overrides: { key: string; value: OverrideRecord; indexes: { bySafe: string; byEnv: string } };
  outbox: { key: string; value: OutboxEntry; indexes: { bySafe: string } };
  conflicts: { key: string; value: ConflictRecord | NameClashRecord; indexes: { byEnv: string } };
  sync: {
    key: 'state' | 'sent' | 'gone' | 'wipe' | 'marks' | 'manifests';
    value: SyncLink | SentLog | GoneLog | WipeQuestion | MarkDeletions | ManifestStates;
  };
  trash: { key: string; value: TrashRecord; indexes: { bySafe: string; byEnv: string } };
}

/**
 * A secret deleted in the last 30 days (trash.ts). `sealed` is its deletion's `gone` field as it
 * went to (or came from) the sync server: sealed with the safe key, bound to the secret's kind,
 * safe, id and the deletion's version `ver`, and holding its last version and history. The clear
 * fields are ids, that version and the time of the deletion.
 */
export interface TrashRecord {
  id: string;
  safeId: string;
  envId: string;
  ver: number;
  at: number;
  sealed: string;
  /** The server revision a restore is based on: the deleted record's, or the deletion's once it came from the server. */
  rev?: number;
}

export type StoreName =
  | 'meta'
  | 'orgs'
  | 'safes'
  | 'environments'
  | 'secrets'
  | 'indexes'
  | 'overrides'
  | 'outbox'
  | 'conflicts'
  | 'sync'
  | 'trash';
export const ALL_STORES: StoreName[] = [
  'meta',
  'orgs',
  'safes',
  'environments',
  'secrets',
  'indexes',
  'overrides',
  'outbox',
  'conflicts',
  'sync',
  'trash',
];
/** What a backup carries: the vault, not its link to a sync server (a restored vault is connected again by hand). */
export const PERSISTED_STORES: StoreName[] = ['meta', 'orgs', 'safes', 'environments', 'secrets', 'indexes', 'overrides'];

/**
 * One of upgrade.ts's passes over older records: `pass` names the one under way, `done` says it
 * went through every record (for `bound`: every record carries the binding).
 */
export interface BoundRecord {
  pass: string;
  done: boolean;
  /** For `references`, which goes one environment at a time: the environments done so far. */
  envs?: string[];
}

export type Db = IDBPDatabase<VaultDB>;

/**
 * idb's openDB always uses the global `indexedDB`; this does the same over a given factory so tests
 * (and a future second profile) can pass their own.
 */
export function openVaultDb(factory: IDBFactory, name: string): Promise<Db> {
  const request = factory.open(name, DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = request.result;
    // Upgrade steps run in order from the stored version; each is written once and never changed.
    if (event.oldVersion < 1) {
      db.createObjectStore('meta');
      db.createObjectStore('session'); // dropped again by version 2
      db.createObjectStore('orgs', { keyPath: 'id' });
      db.createObjectStore('safes', { keyPath: 'id' });
      db.createObjectStore('environments', { keyPath: 'id' }).createIndex('bySafe', 'safeId');
      const secrets = db.createObjectStore('secrets', { keyPath: 'id' });
      secrets.createIndex('bySafe', 'safeId');
      secrets.createIndex('byEnv', 'envId');
      db.createObjectStore('indexes', { keyPath: 'envId' }).createIndex('bySafe', 'safeId');
      const overrides = db.createObjectStore('overrides', { keyPath: 'secretId' });
      overrides.createIndex('bySafe', 'safeId');
      overrides.createIndex('byEnv', 'envId');
    }
    if (event.oldVersion < 2) {
      // Version 1 kept the unlocked keys here as CryptoKeys, whose raw bytes browsers write into the
      // profile's files. The unlocked state now lives in memory only (session-secret.ts).
      db.deleteObjectStore('session');
    }
    if (event.oldVersion < 3) {
      // Sync: changes waiting for the server, the server's copies of conflicting edits, the account link.
      // Records made before are re-sealed with their binding at the next unlock (upgrade.ts).
      db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('bySafe', 'safeId');
      db.createObjectStore('conflicts', { keyPath: 'id' }).createIndex('byEnv', 'envId');
      db.createObjectStore('sync');
    }
    if (event.oldVersion < 4) {
      // Recently deleted: each deleted secret's last version, sealed in its deletion, for 30 days
      // (trash.ts). Secrets keep their history in their own records, which need no new store.
      const trash = db.createObjectStore('trash', { keyPath: 'id' });
      trash.createIndex('bySafe', 'safeId');
      trash.createIndex('byEnv', 'envId');
    }
  });
  return wrap(request) as unknown as Promise<Db>;
}
