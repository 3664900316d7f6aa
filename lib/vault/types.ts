import type { FillSite } from '../autofill/sites';
import type { KdfChoice } from './kdf-params';

/** Public shapes of the vault API (see index.ts for the contract). */

export interface VaultSettings {
  /** Minutes of inactivity before the background locks; null = only when the browser restarts. */
  autoLockMinutes: number | null;
  /** Seconds before a copied value is cleared from the clipboard; 0 = never. */
  clipboardClearSeconds: number;
  /** The key derivation of the current master password, without its salt (change with setKdf). */
  kdf: KdfChoice;
  /** This device's name, written with each version of a secret made here: the user's, else a default. */
  deviceName: string;
}

export interface VaultStatus {
  initialised: boolean;
  unlocked: boolean;
}

/** Everything the popup shows first, in one round trip. */
export interface VaultOpening {
  status: VaultStatus;
  /** Present when unlocked: every safe, the environment shown (the one asked for, else the first), its list. */
  view?: {
    safes: SafeSummary[];
    safeId: string;
    envId: string;
    /** The environment's first secrets in list order (all of them when `complete`), and every damaged one. */
    secrets: (SecretSummary | DamagedItem)[];
    complete: boolean;
  };
}

export interface EnvironmentSummary {
  id: string;
  name: string;
  protected: boolean;
  /** Set when the name failed to decrypt; `name` is then ''. */
  error?: string;
}

export interface SafeSummary {
  id: string;
  name: string;
  environments: EnvironmentSummary[];
  /** Set when the safe key or name failed to decrypt; `name` is then '' and environments []. */
  error?: string;
}

/** What the user names a secret by; sealed as the record's meta and copied into the environment's index. */
export interface SecretMeta {
  key: string;
  path: string;
  tags: string[];
  comment: string;
  /** Where the popup offers to fill it (lib/autofill/sites.ts); absent on records made before there was any. */
  autofill?: FillSite[];
  /** The value is a 64-hex AES-256 key the right-click menu encrypts and decrypts with. */
  encryptionKey?: boolean;
  /** The references the shared value holds, as written (lib/vault/references.ts), for "used by". */
  refs?: string[];
  /** When to rotate the value (lib/vault/rotation.ts); absent on records made before there was any. */
  rotation?: Rotation;
  /** When this version was written (sealed in the meta only; absent on versions written before). */
  writtenAt?: number;
  /** Who wrote this version (sealed in the meta only; absent on versions written before history). */
  by?: Author;
}

/** Who wrote a version of a secret: the device's name (Settings), and later, once sharing exists, the member. */
export interface Author {
  device: string;
  member?: string;
}

/** One earlier version of a secret as the detail view lists it: its names, never its value. */
export interface SecretVersion extends SecretMeta {
  ver: number;
  at: number;
  by: Author;
}

/** A secret's history: the current version's author and time, then earlier versions, newest first. */
export interface SecretHistory {
  current: { ver: number; at?: number; by?: Author };
  versions: SecretVersion[];
  /** Versions that did not open (the history field, or entries in it): reported, never shown. */
  damaged: boolean;
}

/** A rotation reminder: a date, a period, or both (the date then is the next one, set by *Mark as rotated*). */
export interface Rotation {
  /** The next rotation, 'YYYY-MM-DD' (local calendar day). */
  due?: string;
  /** Every this many days, counted from the last rotation. */
  everyDays?: number;
}

/** One secret in a list: its names and flags, never its value. */
export interface SecretSummary extends SecretMeta {
  id: string;
  /** A personal override exists and is active: reads return its value. */
  overridden: boolean;
  /** A personal override exists (active or not), so the UI can offer the toggle. */
  hasOverride: boolean;
  /** Changed here and on another device: both versions are kept until the user chooses (sync). */
  conflict?: boolean;
}

/** A secret in Recently deleted: its name and where it was, never its value. */
export interface DeletedSecret {
  id: string;
  key: string;
  path: string;
  safeId: string;
  safeName: string;
  envId: string;
  envName: string;
  deletedAt: number;
}

/** A record that failed to decrypt; it is listed so the user can see and delete it. */
export interface DamagedItem {
  id: string;
  error: string;
}

/** A secret with the value a read returns (the personal override while active). */
export interface Secret extends SecretMeta {
  id: string;
  value: string;
  overridden: boolean;
}

/** A secret found by a search over the whole vault, with where it lives. */
export interface SearchHit extends SecretSummary {
  safeId: string;
  safeName: string;
  envId: string;
  envName: string;
  /** The environment is protected (Production): the popup keeps it marked. */
  protected: boolean;
}

export interface SearchResult {
  /** The current environment's first, then the others in list order; at most the limit asked for. */
  hits: SearchHit[];
  /** How many matched in all. */
  total: number;
}

/** Phase's `get`: the secrets that opened; records that failed to decrypt are listed in `damaged`. */
export type GetResult = Secret[] & { damaged?: DamagedItem[] };

export interface NewSecret {
  key: string;
  value: string;
  rotation?: Rotation;
  tags?: string[];
  comment?: string;
  autofill?: FillSite[];
  encryptionKey?: boolean;
}

/**
 * Phase's keyValuePairs: a list of {key, value, tags?, comment?}, a plain {KEY: value} object,
 * or the Python SDK's list of one-entry objects ([{API_KEY: '…'}, …]).
 */
export type KeyValuePairs = NewSecret[] | Record<string, string> | Record<string, string>[];

/** Names a safe and an environment, each by id or by name (names compare case-insensitively). */
export interface Target {
  safeId?: string;
  safeName?: string;
  envId?: string;
  envName?: string;
}

/** Phase's SDK calls a safe an "app": its operations (create, get, update, delete) also take these. */
export interface PhaseTarget {
  appId?: string;
  appName?: string;
}

export interface CreateOptions extends Target, PhaseTarget {
  keyValuePairs: KeyValuePairs;
  secretPath?: string;
}

export interface GetOptions extends Target, PhaseTarget {
  keyToFind?: string;
  tag?: string;
  /** Empty or absent: every path. */
  secretPath?: string;
}

export interface UpdateOptions extends Target, PhaseTarget {
  key?: string;
  /** Alternative to key + secretPath. */
  id?: string;
  value?: string;
  /** Where the secret is now; default '/'. */
  secretPath?: string;
  destinationPath?: string;
  /** With `value`: set (and activate) a personal override instead of the shared value. */
  override?: boolean;
  /** Flip the personal override between active and inactive. */
  toggleOverride?: boolean;
  /** Remove the personal override (addition to Phase). */
  deleteOverride?: boolean;
  /** Rename the key (addition to Phase). */
  newKey?: string;
  tags?: string[];
  comment?: string;
  /** Replaces the secret's fill sites ([] removes them all). */
  autofill?: FillSite[];
  /** Marks the secret as an encryption key (its value must then be 64 hex characters) or unmarks it. */
  encryptionKey?: boolean;
  /** Sets the rotation reminder (a period alone starts counting today); null or {} removes it. */
  rotation?: Rotation | null;
  /** *Mark as rotated*: the next date is one period from today; with no period, the reminder ends. */
  rotated?: boolean;
}

export interface DeleteOptions extends Target, PhaseTarget {
  keyToDelete?: string;
  /** Alternative to keyToDelete + secretPath. */
  id?: string;
  secretPath?: string;
}

export type OnConflict = 'skip' | 'overwrite' | 'error';

export interface ImportDotenvOptions extends Target {
  text: string;
  secretPath?: string;
  /** Default 'error': nothing is written if any key already exists at that path. */
  onConflict?: OnConflict;
}

export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
}

export interface ExportDotenvOptions extends Target {
  /** Default '/'. A .env file has no paths, so one file holds one path. */
  secretPath?: string;
  /** A reference that cannot be resolved stays as written (`${KEY}`) instead of stopping the export. */
  keepUnresolved?: boolean;
}

export interface UnlockOptions {
  /** Return the HKDF auth secret (hex) for a sync-server login. It is never stored. */
  returnAuthSecret?: boolean;
}

export interface UnlockResult {
  /** Hex, only when `returnAuthSecret` was set. */
  authSecret?: string;
}
