// The sync engine: pushes the outbox, then pulls the server's changes by cursor, one run at a time.
// It holds the account's auth secret and token only while the vault is unlocked (in the session
// store the caller gives it), never syncs while locked, and turns every failure into a status the
// user can read and a time to try again (docs/architecture.md, "Sync").
import { ApiError, SyncApi, type PullPage, type Session, type WriteResult } from './client';
import { utf8Decode, utf8Encode } from '../crypto/encoding';
import { msg } from '../i18n';
import { kdfChoiceOf, type KdfChoice, type KdfParams } from '../vault/kdf-params';
import { cipherFromWire, secretFromItem, shapeOf } from './items';
import { invalid, VaultError } from '../vault/errors';
import type { ServerItem, SyncLink } from '../vault/schema';
import type { SessionSecretStore } from '../vault/session-secret';
import type { ItemWrite } from './items';
import type { Outgoing } from './outbound';
import type { Vault } from '../vault/vault';
import { asUserError, changePasswordOnServer, checkEmail, checkServerUrl, logIn, register, signInWithPassword } from './account';
import { boundAuthSecret } from './auth-secret';
import { type LocalSync, localSync } from './local';
import { backoffMs } from './backoff';
import { KINDS } from './kinds';
import { emptyArrivals, type ManifestFinding, noteArrivals } from './manifest-store';
import {
  checkAccountKdf,
  checkNewDeviceKdf,
  checkPinnedKdf,
  needsKdfUpgrade,
  NEW_DEVICE_FLOOR,
  UPGRADED_KDF,
  type KdfFloor,
} from './kdf-policy';

export interface SyncStatus {
  linked: boolean;
  serverUrl?: string;
  email?: string;
  lastSyncedAt?: number;
  /** Local changes not yet acknowledged by the server. */
  waiting: number;
  /** Secrets edited here and elsewhere, waiting for the user's choice. */
  conflicts: number;
  /** Of `waiting`, the changes held back until the user settles their conflict (they never go by themselves). */
  held?: number;
  /** Changes the server refused on their own (kept here, reported). */
  refused: number;
  /** Items from the server that did not open where they claimed to be, or were older than this device's copy, in the last pull. */
  damaged: number;
  lastError?: { code: string; message: string; at: number; status?: number };
  /** When changes from the server were last taken in (a page showing the vault reloads when it moves). */
  remoteChangeAt?: number;
  /** When the engine will try again on its own after a failure. */
  retryAt?: number;
  /**
   * A full resync lacked records this device got from the server: how many the server says were
   * deleted. Nothing is removed until the user answers (`answerWipe`).
   */
  wipe?: { safes: number; environments: number; secrets: number };
  /**
   * Items a safe's manifest speaks of that the server held back, handed over at an older version, or
   * handed back after their deletion (manifest-store.ts): the records stay as they are, the user is told.
   */
  manifest?: ManifestFinding[];
  /** A run in progress: what it is doing and how far it got. */
  progress?: { phase: 'upload' | 'download'; done: number; total?: number };
}

export interface EngineOptions {
  vault: Vault;
  /** Holds `{authSecret, token}` while unlocked: storage.session in the extension, memory in Node. */
  credentials: SessionSecretStore;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  timeoutMs?: number;
  /**
   * The weakest Argon2id a new device takes from a server, and the least an account may be moved
   * to: NEW_DEVICE_FLOOR (the defaults new vaults get) unless lowered, as tests do to derive fast.
   */
  kdfFloor?: KdfFloor;
  /** Told of every status change (progress, success, failure). */
  onStatus?: (status: SyncStatus) => void;
  /** Counts request and answer bodies, for the benchmark. */
  onBytes?: (sent: number, received: number) => void;
}

interface Credentials {
  authSecret: string;
  token?: string;
}

/** Items per pull page: the server's largest (KEYSMITH_SYNC_MAX_LIMIT), so a first pull rewrites each environment's index few times. */
const PULL_PAGE = 5000;
/**
 * A snapshot's first page is smaller: it arrives sooner, and while it is written the next one
 * travels, then has its metas opened while this one commits (preopen.ts). Every later page can be
 * opened early; the first cannot (it brings the safes whose keys open the rest).
 */
const FIRST_PAGE = 1000;
const MAX_PUSH_ROUNDS = 200;
/**
 * Pages one run follows (a million items at the server's largest page): a server that answers
 * `hasMore` for ever must not keep the worker busy for ever. What was taken in stays; the next
 * run goes on from the cursor reached.
 */
export const MAX_PULL_PAGES = 200;

export class SyncEngine {
  private running: Promise<SyncStatus> | undefined;
  private again = false;
  private failures = 0;
  private retryAt = 0;
  private damaged = 0;
  /** Changes the last push held back for a conflict (the vault counts conflicts, the outbox its entries). */
  private held = 0;
  private remoteChangeAt = 0;
  /** The last manifest check's findings, by safe. */
  private readonly findings = new Map<string, ManifestFinding[]>();
  private progress: SyncStatus['progress'];
  /** A new device's first pull page, asked for during sign-in (taken by the first pull from no cursor). */
  private firstPage: Promise<PullPage> | undefined;
  /** Server safes known to exist this session (creating one is idempotent, but costs a request). */
  private readonly serverSafes = new Set<string>();
  private readonly now: () => number;
  private readonly kdfFloor: KdfFloor;
  /**
   * Moves on every lock and sign-out. Whatever was started before (a login, a sign-in, a password
   * change still waiting for the server) finds it moved and stores no credentials: a lock must
   * leave none behind in storage.session, however late an answer arrives.
   */
  private generation = 0;

  /** Sync's operations over this device's records, through the vault's port (local.ts). */
  readonly local: LocalSync;

  constructor(private readonly o: EngineOptions) {
    this.local = localSync(o.vault.port);
    this.now = o.now ?? Date.now;
    this.kdfFloor = o.kdfFloor ?? NEW_DEVICE_FLOOR;
  }

  // Connecting

  /** Registers this vault with a server (auth secret, KDF and wrapped vault key only), then uploads everything. */
  async createAccount(input: { serverUrl: string; email: string; masterPassword: string }): Promise<SyncStatus> {
    const serverUrl = checkServerUrl(input.serverUrl);
    const email = checkEmail(input.email);
    if (await this.local.getSyncLink()) throw new VaultError('already_linked', msg('errSyncAlreadyLinked'));
    const generation = this.generation;
    // Every device that joins will have to accept the account's KDF: an older one is upgraded first.
    if (needsKdfUpgrade(kdfChoiceOf(await this.o.vault.getKdfParams()), this.kdfFloor)) {
      await this.o.vault.changeMasterPassword(input.masterPassword, input.masterPassword, { kdf: UPGRADED_KDF, keepSalt: true });
    }
    const reg = await this.local.registration(input.masterPassword);
    const api = this.api(serverUrl);
    const userId = await register(api, email, reg);
    const session = await this.login(api, email, reg.authSecret, generation);
    await this.local.setSyncLink({ serverUrl, email, userId, orgId: session.orgId, authBound: true });
    await this.local.queueEverything();
    return this.syncNow();
  }

  /**
   * A second device: prelogin's KDF (held to this client's floors before anything is derived),
   * the master password, login, the account's vault key, then a full pull.
   */
  async signIn(input: { serverUrl: string; email: string; masterPassword: string; safeName?: string }): Promise<SyncStatus> {
    const serverUrl = checkServerUrl(input.serverUrl);
    const email = checkEmail(input.email);
    const api = this.api(serverUrl);
    const generation = this.generation;
    // A new device holds nothing to compare with: the server's KDF must be at least the defaults.
    const { kdf, authSecret, wrapKey, login } = await signInWithPassword(api, email, input.masterPassword, (k) =>
      checkNewDeviceKdf(k, this.kdfFloor),
    );
    // The account's first page travels while this device's vault is made (the server is the slow part).
    const token = login.access_token;
    const orgId = api.memberships(token).then((m) => m.active_org_id);
    const firstPage = orgId.then((id) => api.pull({ token, orgId: id }, undefined, FIRST_PAGE));
    firstPage.catch(() => undefined); // awaited by the pull; a failure is reported there
    await this.local.joinAccount(wrapKey, kdf, login.keys, input.safeName ? { safeName: input.safeName } : {});
    await this.saveCredentials({ authSecret, token }, generation);
    const activeOrg = await orgId.catch((error: unknown) => {
      throw asUserError(error);
    });
    await this.local.setSyncLink({ serverUrl, email, orgId: activeOrg, authBound: true });
    this.firstPage = firstPage;
    return this.syncNow();
  }

  /**
   * A new master password (or KDF) for a vault that syncs: the server takes the new auth secret, KDF
   * and wrapped vault key first, re-authenticated with the current auth secret, and only then does
   * this device store them. The server ends every other session, so other devices ask for the new
   * password (adoptNewPassword). The salt stays the account's (other devices hold it: kdf-policy),
   * and an account still on older parameters moves to the defaults with it. Without a link this is
   * the vault's own change.
   */
  async changeMasterPassword(current: string, next: string, opts: { kdf?: KdfChoice } = {}): Promise<void> {
    const link = await this.local.getSyncLink();
    if (!link) {
      await this.o.vault.changeMasterPassword(current, next, opts);
      return;
    }
    const generation = this.generation;
    let kdf = opts.kdf;
    if (!kdf && needsKdfUpgrade(kdfChoiceOf(await this.o.vault.getKdfParams()), this.kdfFloor)) kdf = UPGRADED_KDF;
    if (kdf) checkAccountKdf(kdf, this.kdfFloor);
    const api = this.api(link.serverUrl);
    let held: Credentials | undefined;
    await this.o.vault.changeMasterPassword(current, next, {
      ...(kdf ? { kdf } : {}),
      keepSalt: true,
      beforeStore: async (change) => {
        const token = await changePasswordOnServer(api, link.email, (await this.readCredentials())?.token, change, {
          legacy: !link.authBound,
        });
        held = { authSecret: change.authSecret, token };
      },
    });
    if (!link.authBound) await this.updateLink((l) => void (l.authBound = true));
    if (held && (await this.o.vault.isUnlocked())) await this.saveCredentials(held, generation);
    else await this.o.credentials.clear();
  }

  /**
   * At unlock, with the master password at hand: an account still on older KDF parameters (PBKDF2,
   * or Argon2id below the defaults) moves to the defaults, here and on the server, so a new device
   * never has to accept less. False when there was nothing to do.
   */
  async upgradeKdf(masterPassword: string): Promise<boolean> {
    if (!(await this.local.getSyncLink())) return false;
    if (!needsKdfUpgrade(kdfChoiceOf(await this.o.vault.getKdfParams()), this.kdfFloor)) return false;
    await this.changeMasterPassword(masterPassword, masterPassword, { kdf: UPGRADED_KDF });
    return true;
  }

  /**
   * The master password was changed on another device, so the server no longer takes this one's:
   * with the new password, sign in again and take the account's new KDF and wrapped key (the vault
   * key inside must be this vault's). From then on the new password unlocks this device too.
   */
  async adoptNewPassword(masterPassword: string): Promise<SyncStatus> {
    if (typeof masterPassword !== 'string' || masterPassword === '') throw invalid('masterPassword', 'errEnterMasterPassword');
    const link = await this.local.getSyncLink();
    if (!link) throw new VaultError('not_linked', msg('errSyncNotLinked'));
    if (!(await this.o.vault.isUnlocked())) throw new VaultError('locked', msg('errLocked'));
    const generation = this.generation;
    // This device holds the account's KDF and salt: a server that sends others (after a 401 it may
    // have forged to bring the user here) gets no login proof made with them.
    const pinned = await this.o.vault.getKdfParams();
    const { kdf, authSecret, wrapKey, login } = await signInWithPassword(
      this.api(link.serverUrl),
      link.email,
      masterPassword,
      (k) => checkPinnedKdf(k, pinned),
      { legacy: !link.authBound },
    );
    const keys = (login.keys ?? {}) as { accountId?: unknown; wrappedVaultKey?: string };
    let wrappedVaultKey: ReturnType<typeof cipherFromWire>;
    try {
      wrappedVaultKey = cipherFromWire(keys.wrappedVaultKey);
    } catch {
      throw new VaultError('damaged', msg('errServerAccountDamaged'));
    }
    await this.o.vault.adoptAccountKeys(wrapKey, kdf, { accountId: keys.accountId, wrappedVaultKey });
    await this.saveCredentials({ authSecret, token: login.access_token }, generation);
    this.failures = 0;
    this.retryAt = 0;
    await this.updateLink((l) => {
      delete l.lastError;
      l.authBound = true;
    });
    return this.syncNow();
  }

  /** After an unlock: the auth secret the vault derived, so an expired token is renewed without asking. */
  async holdAuthSecret(authSecret: string): Promise<void> {
    const generation = this.generation;
    const current = await this.readCredentials();
    await this.saveCredentials(current?.authSecret === authSecret ? current : { authSecret }, generation);
  }

  /** On lock: the auth secret and token go with the keys, and nothing under way may store them again. */
  async forget(): Promise<void> {
    this.generation++;
    await this.o.credentials.clear();
  }

  /**
   * Deletes the account on the server, proving the master password there (its auth secret, checked
   * again by the server), then forgets the link as a sign-out does. The local vault stays.
   */
  async deleteAccount(masterPassword: string): Promise<void> {
    const link = await this.local.getSyncLink();
    if (!link) throw new VaultError('not_linked', msg('errSyncNotLinked'));
    const api = this.api(link.serverUrl);
    // The account's pinned KDF and salt, as for any sign-in of a known device (kdf-policy.ts).
    const pinned = await this.o.vault.getKdfParams();
    const { authSecret, login } = await signInWithPassword(api, link.email, masterPassword, (k) => checkPinnedKdf(k, pinned), {
      legacy: !link.authBound,
    });
    try {
      // The server holds the secret bound to its origin and the e-mail (auth-secret.ts); a legacy
      // account was moved to it by the login above.
      await api.deleteAccount({ token: login.access_token }, { password: await boundAuthSecret(authSecret, api.baseUrl, link.email) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        throw new VaultError('wrong_password', msg('errSyncWrongLogin'), { field: 'masterPassword' });
      throw asUserError(error);
    }
    await this.o.credentials.clear();
    await this.local.unlink();
    this.reset();
  }

  /** Signs out: the token is revoked (if the server answers), the link, outbox and conflicts are forgotten; local secrets stay. */
  async signOut(): Promise<void> {
    const link = await this.local.getSyncLink();
    const creds = await this.readCredentials();
    if (link && creds?.token)
      await this.api(link.serverUrl)
        .logout(creds.token)
        .catch(() => undefined);
    this.generation++;
    await this.o.credentials.clear();
    await this.local.unlink();
    this.reset();
  }

  // Running

  async status(): Promise<SyncStatus> {
    const link = await this.local.getSyncLink();
    if (!link) return { linked: false, waiting: 0, conflicts: 0, refused: 0, damaged: 0 };
    const counts = await this.local.syncCounts();
    const status: SyncStatus = { linked: true, serverUrl: link.serverUrl, email: link.email, ...counts, damaged: this.damaged };
    const held = counts.conflicts > 0 ? Math.min(this.held, counts.waiting - counts.refused) : 0;
    if (held > 0) status.held = held;
    if (link.lastSyncedAt) status.lastSyncedAt = link.lastSyncedAt;
    if (link.lastError) status.lastError = link.lastError;
    if (this.retryAt > this.now()) status.retryAt = this.retryAt;
    if (this.progress) status.progress = this.progress;
    const findings = [...this.findings.values()].flat();
    if (findings.length > 0) status.manifest = findings;
    if (this.remoteChangeAt) status.remoteChangeAt = this.remoteChangeAt;
    const wipe = await this.local.pendingWipe();
    if (wipe) status.wipe = { safes: wipe.safes, environments: wipe.environments, secrets: wipe.secrets };
    return status;
  }

  /**
   * The user's answer to a full resync that would remove records: kept (and sent again, so the
   * server holds them once more) or removed here.
   */
  async answerWipe(keep: boolean): Promise<SyncStatus> {
    const count = await this.local.answerWipe(keep);
    if (!keep) {
      if (count > 0) this.remoteChangeAt = this.now();
      return this.status();
    }
    return this.syncNow();
  }

  /**
   * Push, then pull. Runs one at a time: a call during a run makes the run go once more. `scheduled`
   * runs respect the backoff after a failure; a user's *Sync now* does not.
   */
  syncNow(opts: { scheduled?: boolean } = {}): Promise<SyncStatus> {
    if (opts.scheduled && this.retryAt > this.now()) return this.status();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          await this.runOnce();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
      return this.status();
    })();
    this.running = run;
    return run;
  }

  private async runOnce(): Promise<void> {
    const link = await this.local.getSyncLink();
    if (!link || !(await this.o.vault.isUnlocked())) return;
    const api = this.api(link.serverUrl);
    try {
      const session = await this.session(api, link);
      await this.withRelogin(api, link, session, (s) => this.push(api, s));
      await this.withRelogin(api, link, session, (s) => this.pushManifests(api, s));
      await this.withRelogin(api, link, session, (s) => this.pull(api, s));
      await this.withRelogin(api, link, session, (s) => this.pushMarks(api, s));
      this.failures = 0;
      this.retryAt = 0;
      await this.updateLink((l) => {
        l.lastSyncedAt = this.now();
        delete l.lastError;
      });
    } catch (error) {
      await this.failed(error);
    } finally {
      this.firstPage = undefined; // only ever for the run right after sign-in
      this.progress = undefined;
      this.notify();
    }
  }

  private async failed(error: unknown): Promise<void> {
    if (error instanceof VaultError && error.code === 'locked') return; // locked meanwhile: nothing to report
    const apiError = error instanceof ApiError ? error : undefined;
    if (!apiError && !(error instanceof VaultError)) throw error;
    const code = apiError ? errorCode(apiError) : (error as VaultError).code;
    // This client's own sentence (ApiError never carries the server's text), for logs and tests.
    const message = error instanceof Error ? error.message : String(error);
    if (apiError && code !== 'auth_failed') {
      if (this.retryAt <= this.now()) {
        this.failures++;
        this.retryAt = this.now() + (apiError.retryAfterMs ?? backoffMs(this.failures, this.o.random));
      } else if (apiError.retryAfterMs !== undefined) {
        this.retryAt = Math.max(this.retryAt, this.now() + apiError.retryAfterMs);
      }
      // Otherwise a run inside the backoff (the user's Sync now, the live connection's return) failed:
      // the next automatic try stays where it was, so pressing Sync now while the server is away
      // never pushes it further out.
    }
    await this.updateLink((l) => {
      l.lastError = { code, message, at: this.now(), ...(code === 'server_refused' ? { status: apiError!.status } : {}) };
    });
  }

  private async push(api: SyncApi, s: Session): Promise<void> {
    let sent = 0;
    for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
      const out = await this.local.outgoing();
      this.held = out.held;
      for (const { id, write } of out.safeDeletions) {
        if (write) await this.pushSafeDeletion(api, s, write);
        await api.deleteSafe(s, id).catch((error: unknown) => {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        });
        await this.local.safeDeleted(id);
        this.serverSafes.delete(id);
      }
      if (out.writes.length === 0) return;
      this.setProgress({ phase: 'upload', done: sent, total: sent + out.waiting - out.held - out.refused });
      for (const safe of out.safes) {
        if (this.serverSafes.has(safe.id)) continue;
        await api.createSafe(s, safe);
        this.serverSafes.add(safe.id);
      }
      await this.local.noteSent(out.writes);
      let results: WriteResult[];
      try {
        results = await this.pushIsolating(api, s, out.writes);
      } catch (error) {
        // A safe deleted on the server meanwhile: create it again (an edit inside it is kept) and retry.
        if (error instanceof ApiError && error.status === 404) {
          this.serverSafes.clear();
          continue;
        }
        throw error;
      }
      const ack = await this.local.acknowledge(out as Outgoing, results);
      await this.local.noteWritten(out.writes, results);
      if (ack.resurrect.length > 0) await this.local.applyRemote(ack.resurrect);
      if (ack.conflicts.length > 0 || ack.resurrect.length > 0) this.remoteChangeAt = this.now(); // the list changed
      if (ack.replayed.length > 0) {
        // The server answered with copies this device has seen beaten: sending again at once would
        // meet the same answer (a push loop). The run stops, backs off and says so.
        throw new ApiError(0, 'server_replayed', `The server answered ${ack.replayed.length} change(s) with an old copy`);
      }
      sent += results.length;
    }
  }

  /** Each safe's list of what this device wrote, merged with another writer's when they meet (manifest-store.ts). */
  private async pushManifests(api: SyncApi, s: Session): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const writes = await this.local.manifestsToSend();
      if (writes.length === 0) return;
      // A manifest is an item of its own kind, which the vault's item writes do not name.
      if (!(await this.local.manifestsSent(writes, await api.push(s, writes as unknown as ItemWrite[])))) return;
    }
  }

  /** Conflicts found here, and settled here, told to the account's other devices (conflict-marks.ts). */
  private async pushMarks(api: SyncApi, s: Session): Promise<void> {
    let writes = await this.local.marksToSend();
    // Once more on the server's revision of a mark, then the next run.
    for (let round = 0; round < 2 && writes.length > 0; round++) {
      // A mark is an item of its own kind, which the vault's item writes do not name.
      writes = await this.local.marksSent(writes, await api.push(s, writes as unknown as ItemWrite[]));
    }
  }

  /**
   * A safe's sealed deletion, written as its item before the server deletes the safe with
   * everything in it, so other devices can prove it (a safe's deletion wins over a rename there).
   */
  private async pushSafeDeletion(api: SyncApi, s: Session, write: ItemWrite): Promise<void> {
    const [result] = await api.push(s, [write]);
    if (result && !result.ok && result.conflict && !result.conflict.deleted) {
      await api.push(s, [{ ...write, baseRevision: result.conflict.revision }]);
    }
  }

  /**
   * The server refuses a whole batch for one bad item (400, 413); halving it finds that item, which
   * stays in the outbox, marked and reported, while the rest goes through.
   */
  private async pushIsolating(api: SyncApi, s: Session, writes: ItemWrite[]): Promise<WriteResult[]> {
    try {
      return await api.push(s, writes);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 413)) throw error;
      if (writes.length === 1) {
        await this.local.markRefused([writes[0]!.id], error.code);
        return [];
      }
      const half = Math.ceil(writes.length / 2);
      return [...(await this.pushIsolating(api, s, writes.slice(0, half))), ...(await this.pushIsolating(api, s, writes.slice(half)))];
    }
  }

  private async pull(api: SyncApi, s: Session): Promise<void> {
    const link = await this.local.getSyncLink();
    if (!link) return;
    let cursor = link.cursor;
    let snapshot = cursor === undefined;
    const seen: string[] = [];
    let deferred: ServerItem[] = [];
    const arrivals = emptyArrivals();
    let received = 0;
    let damaged = 0;
    let next: Promise<PullPage> =
      (cursor === undefined && this.firstPage) || api.pull(s, cursor, cursor === undefined ? FIRST_PAGE : PULL_PAGE);
    this.firstPage = undefined;
    for (let pages = 1; ; pages++) {
      const page: PullPage = await next;
      if (page.hasMore && pages >= MAX_PULL_PAGES) throw new ApiError(200, 'too_many_pages', 'The sync server kept sending pages');
      // The next page travels while this one is decrypted and stored.
      if (page.hasMore) {
        next = api.pull(s, page.cursor, PULL_PAGE);
        next.catch(() => undefined); // awaited on the next turn; a failure then is reported there
      }
      if (page.fullResync) {
        // The cursor is older than the server keeps deletions for: take a whole snapshot, keep unsent changes.
        snapshot = true;
        seen.length = 0;
        deferred = [];
        Object.assign(arrivals, emptyArrivals());
      }
      noteArrivals(arrivals, page.items);
      if (snapshot) for (const item of page.items) seen.push(item.id);
      const result = await this.local.applyRemote([...deferred, ...page.items], page.hasMore ? { next } : {});
      deferred = result.deferred;
      damaged += result.damaged.length;
      if (result.applied > 0 || result.conflicts.length > 0) this.remoteChangeAt = this.now();
      received += page.items.length;
      cursor = page.cursor;
      if (!snapshot) await this.updateLink((l) => void (l.cursor = cursor));
      if (page.items.length > 0) this.setProgress({ phase: 'download', done: received });
      if (!page.hasMore) break;
    }
    damaged += deferred.length; // a safe or environment the server never sent: refused
    // What the safes' manifests say against what came: told, never repaired.
    const check = await this.local.checkManifests(arrivals);
    for (const [safeId, found] of check.findings) {
      if (found.length > 0) this.findings.set(safeId, found);
      else this.findings.delete(safeId);
    }
    damaged += check.refused;
    if (snapshot) {
      if ((await this.local.pruneAfterSnapshot(seen)) > 0) this.remoteChangeAt = this.now();
      await this.updateLink((l) => void (l.cursor = cursor));
    }
    this.damaged = damaged;
  }

  /**
   * Where and as whom the live-update connection (live.ts) connects: the linked server, org and the
   * token (a login with the held auth secret if there is none). Nothing while locked or not linked.
   */
  async liveSession(): Promise<{ serverUrl: string; token: string; orgId: string } | undefined> {
    const link = await this.local.getSyncLink();
    if (!link || !(await this.o.vault.isUnlocked()) || !(await this.readCredentials())) return undefined;
    const { token, orgId } = await this.session(this.api(link.serverUrl), link);
    return { serverUrl: link.serverUrl, token, orgId };
  }

  /**
   * The earlier versions of a secret the server kept, taken into this device's history where it lacks
   * them (a device keeps only the versions it held: a new one has none). The history view asks when
   * it opens. Undefined when this vault does not sync or is locked.
   */
  async earlierVersions(id: string): Promise<{ added: number; refused: number } | undefined> {
    const link = await this.local.getSyncLink();
    if (!link || !(await this.o.vault.isUnlocked()) || !(await this.readCredentials())) return undefined;
    const api = this.api(link.serverUrl);
    let copies: ServerItem[] = [];
    await this.withRelogin(api, link, await this.session(api, link), async (s) => {
      copies = await api.revisions(s, id);
    });
    // One of another kind, or that no Keysmith wrote, is refused like any.
    const records = copies.map((item) => (item.kind === KINDS.secret.kind ? shapeOf(() => secretFromItem(item, this.now())) : undefined));
    const read = records.filter((r) => r !== undefined);
    const taken = await this.local.takeEarlierVersions(id, read);
    return { added: taken.added, refused: taken.refused + records.length - read.length };
  }

  // Sessions and credentials

  private async session(api: SyncApi, link: SyncLink): Promise<Session> {
    const creds = await this.readCredentials();
    if (creds?.token) return { token: creds.token, orgId: link.orgId };
    if (!creds) throw new ApiError(401, 'auth_failed', 'Unlock Keysmith to sync');
    return this.relogin(api, link, creds.authSecret);
  }

  /** A linked device's login: an account not yet known to be bound may still take the unbound secret once (logIn). */
  private async relogin(api: SyncApi, link: SyncLink, authSecret: string): Promise<Session> {
    const legacy = link.authBound ? undefined : { kdf: await this.o.vault.getKdfParams() };
    const session = await this.login(api, link.email, authSecret, this.generation, legacy);
    if (!link.authBound) await this.updateLink((l) => void (l.authBound = true));
    return session;
  }

  /** 401 on an expired or revoked token: one new login with the auth secret held while unlocked, then the step again. */
  private async withRelogin(api: SyncApi, link: SyncLink, session: Session, step: (s: Session) => Promise<void>): Promise<void> {
    try {
      await step(session);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      const creds = await this.readCredentials();
      if (!creds) throw error;
      const fresh = await this.relogin(api, (await this.local.getSyncLink()) ?? link, creds.authSecret);
      session.token = fresh.token;
      await step(session);
    }
  }

  /** `generation` as it was when the caller began: a lock since then and nothing is stored. */
  private async login(api: SyncApi, email: string, authSecret: string, generation: number, legacy?: { kdf: KdfParams }): Promise<Session> {
    let login: Awaited<ReturnType<typeof logIn>>;
    try {
      login = await logIn(api, email, authSecret, legacy);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        throw new ApiError(401, 'auth_failed', "The sync server refused this device's login");
      throw error;
    }
    const memberships = await api.memberships(login.access_token);
    await this.saveCredentials({ authSecret, token: login.access_token }, generation);
    return { token: login.access_token, orgId: memberships.active_org_id };
  }

  private async readCredentials(): Promise<Credentials | undefined> {
    const bytes = await this.o.credentials.get();
    if (!bytes) return undefined;
    try {
      const parsed = JSON.parse(utf8Decode(bytes)) as Credentials;
      return typeof parsed.authSecret === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private async saveCredentials(creds: Credentials, generation: number): Promise<void> {
    if (generation !== this.generation) return; // locked or signed out meanwhile
    await this.o.credentials.set(utf8Encode(JSON.stringify(creds)));
  }

  private async updateLink(change: (link: SyncLink) => void): Promise<void> {
    const link = await this.local.getSyncLink();
    if (!link) return;
    change(link);
    await this.local.setSyncLink(link);
  }

  private api(serverUrl: string): SyncApi {
    return new SyncApi(serverUrl, {
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
      ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}),
      ...(this.o.onBytes ? { onBytes: this.o.onBytes } : {}),
    });
  }

  private setProgress(progress: SyncStatus['progress']): void {
    this.progress = progress;
    this.notify();
  }

  private notify(): void {
    if (!this.o.onStatus) return;
    void this.status().then(this.o.onStatus, () => undefined);
  }

  private reset(): void {
    this.firstPage = undefined;
    this.failures = 0;
    this.retryAt = 0;
    this.damaged = 0;
    this.findings.clear();
    this.serverSafes.clear();
  }
}

/** The status line's words for a failure: what happened, in a code the page turns into a sentence. */
function errorCode(error: ApiError): string {
  if (error.code === 'auth_failed') return 'auth_failed';
  if (error.code === 'bad_response' || error.code === 'too_large' || error.code === 'too_many_pages') return 'bad_answer';
  if (error.status === 0) return error.code; // unreachable, timeout
  if (error.status === 429) return 'rate_limited';
  // Before the 5xx catch-all: a full account is not a server failure, and waiting will not help.
  if (error.code === 'quota_exceeded') return 'quota_exceeded';
  if (error.status >= 500) return 'server_error';
  return 'server_refused';
}
