import { DEFAULT_SETTINGS } from '../vault/settings-store';
import type { IndexRecord } from '../vault/schema';
import type { Vault } from '../vault/vault';
import type { Handlers } from './dispatch';
import { invalid, VaultError } from '../vault/errors';
import type { FillAnswer, FillOutcome, FillSecret } from '../autofill/types';
import { msg } from '../i18n';
import { createSelectionHandlers, type SelectionHooks } from './selection-handlers';
import { createSyncHandlers } from './sync-handlers';
import { createImportHandlers } from './import-handlers';
import type { SyncEngine } from '../sync/engine';

/** Side effects the background performs around vault operations, supplied by browser adapters. */
export interface VaultHooks {
  /** After a successful setup/unlock: start the idle timer, mark this browser session. */
  unlocked(): Promise<void>;
  /** After lock (and a restore, which leaves the vault locked): stop timers, clear a copied secret. */
  locked(): Promise<void>;
  /** Writes `text` to the clipboard and clears it after `clearAfterSeconds` (0: never, except on lock). */
  copyToClipboard(text: string, clearAfterSeconds: number): Promise<void>;
  /** Settings changed (auto-lock delay): re-arm timers. */
  settingsChanged(): Promise<void>;
  /** The page of the active tab (entrypoints/background/page-fill.ts). */
  page: PageHooks;
  /** The right-click menu's selections (entrypoints/background/selection-menu.ts). */
  selection: SelectionHooks;
  /** The sync engine, and how to ask for a push soon (entrypoints/background/sync.ts). */
  sync: { engine: SyncEngine; changed(): void };
}

export interface PageHooks {
  origin(): Promise<string | null>;
  /** Fills into the tab; asks for the value only once the page may have it. */
  fill(secret: FillSecret, value: () => Promise<string>, answer?: FillAnswer, tabId?: number): Promise<FillOutcome>;
}

/**
 * Each `vault.<name>` request runs `vault.<name>`, with the request's fields as its arguments.
 * Sender checks happen before this, in `dispatch`.
 */
export function createHandlers(vault: Vault, hooks: VaultHooks): Handlers {
  /** Copies with the vault's clearing delay (tools copy while locked too: then the default applies). */
  const copy = async (text: string) => {
    const { clipboardClearSeconds } = (await vault.isUnlocked()) ? await vault.getSettings() : DEFAULT_SETTINGS;
    await hooks.copyToClipboard(text, clipboardClearSeconds);
    return { clearAfterSeconds: clipboardClearSeconds > 0 ? clipboardClearSeconds : null };
  };
  /**
   * A search typed right after unlock must not wait for every name to be read: the sealed indexes
   * (ciphertext, no key needed) are read while the KDF runs, and opened once the unlock is answered
   * (a timer: the answer goes first). Then the references of values written before they existed are
   * indexed once (upgrade.ts), so "used by" lists them too.
   */
  const afterUnlock = (readAhead?: Promise<IndexRecord[]>) => {
    setTimeout(() => {
      void (async () => {
        await vault.prepareSearch(readAhead);
        while (!(await vault.indexOlderReferences()));
      })().catch(() => undefined);
    }, 0);
  };
  return {
    ...createSelectionHandlers(vault, hooks.selection, copy),
    ...createImportHandlers(vault),
    ...createSyncHandlers(vault, hooks.sync.engine, { unlocked: hooks.unlocked, locked: hooks.locked, changed: hooks.sync.changed }),
    'vault.status': () => vault.status(),
    'vault.open': async (wanted) => {
      const opening = await vault.open(wanted);
      // The popup is open and may search next: decrypt every name now, after this reply is sent.
      if (opening.view) setTimeout(() => void vault.prepareSearch().catch(() => undefined), 0);
      return opening;
    },
    'vault.setup': async ({ masterPassword, kdf, safeName }) => {
      await vault.setup(masterPassword, { ...(kdf === undefined ? {} : { kdf }), ...(safeName === undefined ? {} : { safeName }) });
      await hooks.unlocked();
      afterUnlock();
    },
    'vault.unlock': async ({ masterPassword }) => {
      const linked = (await hooks.sync.engine.local.getSyncLink()) !== undefined;
      const readAhead = vault.readIndexes();
      readAhead.catch(() => undefined); // a wrong password drops it unread
      const { authSecret } = await vault.unlock(masterPassword, { returnAuthSecret: linked });
      // Held while unlocked, so an expired token is renewed without asking (dropped on every lock);
      // before the hooks run, since they open the live connection, which logs in with it.
      if (authSecret) await hooks.sync.engine.holdAuthSecret(authSecret);
      await hooks.unlocked();
      // An account still on older KDF parameters moves to the defaults while the password is at
      // hand, after this answer (a failure, such as the server being away, waits for the next unlock).
      if (linked) void hooks.sync.engine.upgradeKdf(masterPassword).catch(() => undefined);
      afterUnlock(readAhead);
    },
    'vault.lock': async () => {
      await vault.lock();
      await hooks.locked();
    },
    // Through the sync engine: a vault that syncs changes its password on the server first.
    'vault.changeMasterPassword': async ({ current, next, kdf }) => {
      await hooks.sync.engine.changeMasterPassword(current, next, kdf === undefined ? {} : { kdf });
    },
    'vault.setKdf': async ({ masterPassword, kdf }) => {
      await hooks.sync.engine.changeMasterPassword(masterPassword, masterPassword, { kdf });
    },
    'vault.getSettings': () => vault.getSettings(),
    'vault.updateSettings': async (partial) => {
      const settings = await vault.updateSettings(partial);
      await hooks.settingsChanged();
      return settings;
    },
    'vault.listSafes': () => vault.listSafes(),
    'vault.createSafe': ({ name }) => vault.createSafe(name),
    'vault.createEnvironment': ({ safeId, name, protected: isProtected }) =>
      vault.createEnvironment(safeId, name, { protected: isProtected ?? false }),
    'vault.listSecrets': ({ safeId, envId }) => vault.listSecrets(safeId, envId),
    'vault.search': ({ query, safeId, envId, limit }) => vault.search(query, { safeId, envId }, limit),
    'vault.revealSecret': ({ id }) => vault.revealSecret(id),
    'vault.resolveSecret': ({ id }) => vault.resolveValue(id),
    'vault.usedBy': ({ id }) => vault.usedBy(id),
    'vault.updateReferrers': ({ id, from }) => vault.updateReferrers({ id, from }),
    'vault.dueForRotation': () => vault.dueForRotation(),
    'vault.renameSafe': ({ id, name }) => vault.renameSafe(id, name),
    'vault.deleteSafe': ({ id }) => vault.deleteSafe(id),
    'vault.updateEnvironment': ({ id, name, protected: isProtected }) =>
      vault.updateEnvironment(id, {
        ...(name === undefined ? {} : { name }),
        ...(isProtected === undefined ? {} : { protected: isProtected === true }),
      }),
    'vault.deleteEnvironment': ({ id }) => vault.deleteEnvironment(id),
    'vault.countSecrets': ({ safeId, envId }) =>
      vault.countSecrets({ ...(safeId === undefined ? {} : { safeId }), ...(envId === undefined ? {} : { envId }) }),
    'vault.create': (options) => vault.create(options),
    'vault.update': (options) => vault.update(options),
    'vault.delete': (options) => vault.delete(options),
    'vault.deleteById': ({ id }) => vault.deleteById(id),
    'vault.history': ({ id }) => vault.history(id),
    'vault.revealVersion': ({ id, ver }) => vault.revealVersion(id, ver),
    'vault.restoreVersion': ({ id, ver }) => vault.restoreVersion(id, ver),
    'vault.recentlyDeleted': () => vault.recentlyDeleted(),
    'vault.restoreDeleted': ({ id }) => vault.restoreDeleted(id),
    'vault.deleteForever': ({ id }) => vault.deleteForever(id),
    'vault.importDotenv': (options) => vault.importDotenv(options),
    'vault.exportDotenv': (options) => vault.exportDotenv(options),
    'vault.exportBackup': ({ password }) => vault.exportBackup(password),
    'vault.restoreBackup': async ({ text, password, masterPassword }) => {
      await vault.restoreBackup(text, password, masterPassword);
      await hooks.locked();
    },
    'clipboard.copy': async (request) => {
      // A secret's references are resolved here, on this device, as it is used (never stored).
      const text = 'id' in request ? (await vault.resolveValue(request.id)).value : checkCopyText(request.text);
      return copy(text);
    },
    'fill.site': async () => {
      const origin = await hooks.page.origin();
      return { origin, hits: origin ? await vault.forSite(origin) : [] };
    },
    'fill.fill': ({ id, confirmed, form, instead }) =>
      fillById(vault, hooks.page, id, {
        confirmed: Array.isArray(confirmed) ? confirmed : [],
        ...(typeof form === 'string' ? { form } : {}),
        ...(typeof instead === 'string' ? { instead } : {}),
      }),
  };
}

/** Tool output (a key, a PEM, a ciphertext) is at most a few hundred KiB; refuse anything else. */
const MAX_COPY_CHARS = 1_000_000;
function checkCopyText(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_COPY_CHARS) {
    throw invalid('text', 'errCopySize');
  }
  return text;
}

/** Fills one secret through the page hooks: its websites and environment decide where, and what to ask. */
export async function fillById(vault: Vault, page: PageHooks, id: string, answer: FillAnswer = {}, tabId?: number): Promise<FillOutcome> {
  const hit = await vault.findHit(id);
  if (!hit) throw new VaultError('not_found', msg('errSecretGone'));
  // Resolved before anything else: a reference that fails stops the fill with its name, and a value
  // that reaches a protected environment through a reference is as protected as one stored there.
  const resolved = await vault.resolveValue(id);
  const referencedProtected = !hit.protected && resolved.protectedEnv !== undefined;
  const secret: FillSecret = {
    sites: hit.autofill ?? [],
    protected: hit.protected || referencedProtected,
    envName: referencedProtected ? resolved.protectedEnv! : hit.envName,
  };
  return page.fill(secret, async () => resolved.value, answer, tabId);
}
