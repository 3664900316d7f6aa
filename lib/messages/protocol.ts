/**
 * The requests extension pages send to the background, each with its data and its reply value.
 * A `vault.<name>` request runs the Vault operation of that name (lib/vault/vault.ts); who may
 * send each one is in senders.ts, and handlers.ts maps each onto its operation
 * (docs/architecture.md, "The message contract").
 */
import type {
  CreateOptions,
  DeleteOptions,
  ExportDotenvOptions,
  ImportDotenvOptions,
  ImportResult,
  SafeSummary,
  Secret,
  SearchHit,
  SecretHistory,
  DeletedSecret,
  SearchResult,
  SecretSummary,
  DamagedItem,
  UpdateOptions,
  VaultOpening,
  VaultSettings,
  VaultStatus,
} from '../vault/types';
import type { KdfChoice } from '../vault/kdf-params';
import type { ResolvedValue } from '../vault/reference-values';
import type { FillOutcome, FillWarning } from '../autofill/types';
import type { SelectionOutcome, SelectionView } from '../selection/types';
import type { SyncStatus } from '../sync/engine';
import type { ConflictChoice, ConflictView } from '../sync/conflicts';
import type { ClashChoice, ImportedSecret, Preview } from '../import';

/**
 * storage.session key the background sets while the vault is unlocked in this browser session and
 * removes on every lock. Pages watch it (storage.onChanged, no request, so no "activity") to hide
 * what they show the moment the vault locks.
 */
export const UNLOCKED_SESSION_KEY = 'keysmith-unlocked-this-session';

/**
 * The sync status (a `SyncStatus`), which the background writes to `storage.session` whenever it
 * changes: a run's progress and end, a local change waiting, news from another device
 * (`remoteChangeAt`). Pages follow it with storage.onChanged instead of asking on a timer.
 */
export const SYNC_STATUS_SESSION_KEY = 'keysmith-sync-status';

export interface Protocol {
  'vault.status': { data: undefined; value: VaultStatus };
  /** Status, safes and one environment's list at once: the popup's start-up is one round trip. */
  'vault.open': { data: { safeId?: string; envId?: string }; value: VaultOpening };
  'vault.setup': { data: { masterPassword: string; kdf?: KdfChoice; safeName?: string }; value: void };
  'vault.unlock': { data: { masterPassword: string }; value: void };
  'vault.lock': { data: undefined; value: void };
  'vault.changeMasterPassword': { data: { current: string; next: string; kdf?: KdfChoice }; value: void };
  'vault.setKdf': { data: { masterPassword: string; kdf: KdfChoice }; value: void };
  'vault.getSettings': { data: undefined; value: VaultSettings };
  'vault.updateSettings': { data: Partial<Omit<VaultSettings, 'kdf'>>; value: VaultSettings };
  'vault.listSafes': { data: undefined; value: SafeSummary[] };
  'vault.createSafe': { data: { name: string }; value: { id: string } };
  'vault.createEnvironment': { data: { safeId: string; name: string; protected?: boolean }; value: { id: string } };
  'vault.renameSafe': { data: { id: string; name: string }; value: void };
  'vault.deleteSafe': { data: { id: string }; value: void };
  'vault.updateEnvironment': { data: { id: string; name?: string; protected?: boolean }; value: void };
  'vault.deleteEnvironment': { data: { id: string }; value: void };
  /** What a deletion would remove: a safe's environments and secrets, or an environment's secrets. */
  'vault.countSecrets': { data: { safeId?: string; envId?: string }; value: { secrets: number; environments: number } };
  'vault.listSecrets': { data: { safeId: string; envId: string }; value: (SecretSummary | DamagedItem)[] };
  /** Every safe and environment, the current environment's hits first (lib/vault/search.ts). */
  'vault.search': { data: { query: string; safeId?: string; envId?: string; limit?: number }; value: SearchResult };
  'vault.revealSecret': { data: { id: string }; value: { value: string; overridden: boolean } };
  /** The value as copy and fill use it: references resolved on this device (reveal shows both side by side). */
  'vault.resolveSecret': { data: { id: string }; value: ResolvedValue };
  /** The secrets whose values reference this one. */
  'vault.usedBy': { data: { id: string }; value: SearchHit[] };
  /** After a rename or move: rewrites the references to the secret's old key and path. Returns how many changed. */
  'vault.updateReferrers': { data: { id: string; from: { key: string; path: string } }; value: number };
  /** Secrets whose *Rotate by* date has come, the most overdue first. */
  'vault.dueForRotation': { data: undefined; value: SearchHit[] };
  'vault.create': { data: CreateOptions; value: Secret[] };
  'vault.update': { data: UpdateOptions; value: Secret };
  'vault.delete': { data: DeleteOptions; value: void };
  /** Deletes by id, including a secret that no longer decrypts. */
  'vault.deleteById': { data: { id: string }; value: void };
  /** A secret's earlier versions, names only (lib/vault/secret-versions.ts). */
  'vault.history': { data: { id: string }; value: SecretHistory };
  'vault.revealVersion': { data: { id: string; ver: number }; value: { value: string } };
  /** Writes that version's value and names as a new version. */
  'vault.restoreVersion': { data: { id: string; ver: number }; value: Secret };
  /** Secrets deleted in the last 30 days (lib/vault/trash.ts). */
  'vault.recentlyDeleted': { data: undefined; value: (DeletedSecret | DamagedItem)[] };
  'vault.restoreDeleted': { data: { id: string }; value: Secret };
  'vault.deleteForever': { data: { id: string }; value: void };
  'vault.importDotenv': { data: ImportDotenvOptions; value: ImportResult };
  'vault.exportDotenv': { data: ExportDotenvOptions; value: string };
  'vault.exportBackup': { data: { password: string }; value: string };
  /**
   * An import's preview: where the names read from a file go in one environment, and which clash
   * (names only; the page reads the file, docs/import.md "Where the file is read").
   */
  'import.preview': { data: { safeId: string; envId: string; names: { path: string; key: string }[] }; value: Preview };
  /** Writes what the preview showed, with a choice per clash; nothing is written if a clash has none. */
  'import.apply': {
    data: { safeId: string; envId: string; secrets: ImportedSecret[]; choices: Record<string, ClashChoice> };
    value: ImportResult;
  };
  /** Over an existing vault, `masterPassword` is its current master password. */
  'vault.restoreBackup': { data: { text: string; password: string; masterPassword?: string }; value: void };
  /**
   * The background writes the clipboard and clears it after the configured delay (and on lock):
   * a vault secret by id, so its value need not pass through the page, or a tool's output as text.
   */
  'clipboard.copy': { data: { id: string } | { text: string }; value: { clearAfterSeconds: number | null } };
  /** The active tab's origin (null when Keysmith may not act on it) and the secrets meant for it. */
  'fill.site': { data: undefined; value: { origin: string | null; hits: SearchHit[] } };
  /**
   * Fills one secret into the active tab (lib/autofill/choose-frame.ts decides where). What the user
   * must accept first comes back as `confirm`; the popup asks, then sends the same request with them.
   */
  /** `form` echoes the routes the user was asked about; `instead` names the offered field the user chose. */
  'fill.fill': { data: { id: string; confirmed?: FillWarning[]; form?: string; instead?: string }; value: FillOutcome };
  /** Keysmith's window after a right-click (lib/messages/selection-handlers.ts): what was asked, on which page. */
  'selection.view': { data: { jobId: string }; value: SelectionView };
  /** With an encryption key of the vault (by id) or a password; replaces the selection in a field, else copies. */
  'selection.encrypt': { data: { jobId: string; keyId?: string; password?: string }; value: SelectionOutcome };
  /** Finds the Toolkit JSON in the selection and opens it with the vault's keys or `password`; writes nothing to the page. */
  'selection.decrypt': { data: { jobId: string; password?: string }; value: { plaintext: string; editable: boolean } };
  /** Puts what the decrypt found in place of the selection, on the user's request. */
  'selection.replace': { data: { jobId: string }; value: SelectionOutcome };
  'selection.insert': { data: { jobId: string; secretId: string; confirmed?: FillWarning[] }; value: SelectionOutcome };
  /** Where sync stands: account, last sync, changes waiting, conflicts, the last error, progress. */
  'sync.status': { data: undefined; value: SyncStatus };
  /** Registers this vault with a sync server (the master password proves it is the owner) and uploads it. */
  'sync.createAccount': { data: { serverUrl: string; email: string; masterPassword: string }; value: SyncStatus };
  /** First run on a second device: joins the account and pulls everything; the vault is then unlocked. */
  'sync.signIn': { data: { serverUrl: string; email: string; masterPassword: string; safeName?: string }; value: SyncStatus };
  /** Push then pull now; `scheduled` (a page's short poll) respects the backoff after a failure. */
  'sync.now': { data: { scheduled?: boolean } | undefined; value: SyncStatus };
  /** Forgets the account; with `removeLocal` also erases this device's vault (its master password is asked). */
  'sync.signOut': { data: { removeLocal?: boolean; masterPassword?: string }; value: void };
  /** The master password was changed on another device: this one signs in with the new one and takes it too. */
  'sync.adoptPassword': { data: { masterPassword: string }; value: SyncStatus };
  /** Deletes the account on the server (the master password proved there); this device's vault stays. */
  'sync.deleteAccount': { data: { masterPassword: string }; value: void };
  /**
   * Earlier versions of a secret the sync server kept, added to this device's history where missing
   * (the history view asks when it opens): how many were added and how many did not open; undefined
   * when the vault does not sync; `unavailable` when the server could not be asked.
   */
  'sync.earlierVersions': { data: { id: string }; value: { added: number; refused: number } | { unavailable: true } | undefined };
  'sync.conflicts': { data: undefined; value: ConflictView[] };
  'sync.resolve': { data: { id: string; choice: ConflictChoice }; value: void };
  /** The answer to a full resync that would remove records: keep them (and send them again) or remove them. */
  'sync.wipe': { data: { keep: boolean }; value: SyncStatus };
}

export type RequestType = keyof Protocol;
export type DataOf<T extends RequestType> = Protocol[T]['data'];
export type ValueOf<T extends RequestType> = Protocol[T]['value'];
