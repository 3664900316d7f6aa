import type { Handlers } from './messages';
import { VaultError } from './vault/errors';
import { DEFAULT_SETTINGS } from './vault/settings-store';
import type { Vault } from './vault/vault';

/** Side effects the background performs around vault operations, supplied by browser adapters. */
export interface VaultHooks {
  /** After a successful setup/unlock/restore: start the idle timer, mark this browser session. */
  unlocked(): Promise<void>;
  /** After lock: stop timers. */
  locked(): Promise<void>;
  /** Writes `text` to the clipboard and clears it after `clearAfterSeconds` (0: never, except on lock). */
  copyToClipboard(text: string, clearAfterSeconds: number): Promise<void>;
  /** Settings changed (auto-lock delay): re-arm timers. */
  settingsChanged(): Promise<void>;
}

/** Maps every request of lib/messages.ts onto the vault. Sender checks happen before this, in `dispatch`. */
export function createVaultHandlers(vault: Vault, hooks: VaultHooks): Handlers {
  return {
    'vault.status': async () => ({ initialised: await vault.isInitialised(), unlocked: await vault.isUnlocked() }),
    'vault.open': async ({ safeId, envId }) => {
      const status = { initialised: await vault.isInitialised(), unlocked: await vault.isUnlocked() };
      if (!status.unlocked) return { status };
      const safes = await vault.listSafes();
      const safe = safes.find((s) => s.id === safeId) ?? safes[0];
      const env = safe?.environments.find((e) => e.id === envId) ?? safe?.environments[0];
      if (!safe || !env) return { status, view: { safes, safeId: '', envId: '', secrets: [] } };
      return { status, view: { safes, safeId: safe.id, envId: env.id, secrets: await vault.listSecrets(safe.id, env.id) } };
    },
    'vault.setup': async ({ masterPassword, kdf }) => {
      await vault.setup(masterPassword, kdf === undefined ? {} : { kdf });
      await hooks.unlocked();
    },
    'vault.unlock': async ({ masterPassword }) => {
      await vault.unlock(masterPassword);
      await hooks.unlocked();
    },
    'vault.lock': async () => {
      await vault.lock();
      await hooks.locked();
    },
    'vault.changePassword': async ({ current, next, kdf }) => {
      await vault.changeMasterPassword(current, next, kdf === undefined ? {} : { kdf });
    },
    'vault.setKdf': async ({ masterPassword, kdf }) => {
      await vault.setKdf(masterPassword, kdf);
    },
    'settings.get': () => vault.getSettings(),
    'settings.update': async (partial) => {
      const settings = await vault.updateSettings(partial);
      await hooks.settingsChanged();
      return settings;
    },
    'safes.list': () => vault.listSafes(),
    'safes.create': ({ name }) => vault.createSafe(name),
    'environments.create': ({ safeId, name, protected: isProtected }) =>
      vault.createEnvironment(safeId, name, { protected: isProtected ?? false }),
    'secrets.list': ({ safeId, envId }) => vault.listSecrets(safeId, envId),
    'secrets.reveal': ({ id }) => vault.revealSecret(id),
    'secrets.create': (options) => vault.create(options),
    'secrets.update': (options) => vault.update(options),
    'secrets.delete': (options) => vault.delete(options),
    'secrets.deleteById': ({ id }) => vault.deleteSecret(id),
    'dotenv.import': (options) => vault.importDotenv(options),
    'dotenv.export': (options) => vault.exportDotenv(options),
    'backup.export': ({ password }) => vault.exportBackup(password),
    'backup.restore': async ({ text, password, masterPassword }) => {
      await vault.restoreBackup(text, password, masterPassword);
      await hooks.locked();
    },
    'clipboard.copy': async (request) => {
      const text = 'id' in request ? (await vault.revealSecret(request.id)).value : checkCopyText(request.text);
      // Tools copy while the vault is locked too: then the default delay applies.
      const { clipboardClearSeconds } = (await vault.isUnlocked()) ? await vault.getSettings() : DEFAULT_SETTINGS;
      await hooks.copyToClipboard(text, clipboardClearSeconds);
      return { clearAfterSeconds: clipboardClearSeconds > 0 ? clipboardClearSeconds : null };
    },
  };
}

/** Tool output (a key, a PEM, a ciphertext) is at most a few hundred KiB; refuse anything else. */
const MAX_COPY_CHARS = 1_000_000;
function checkCopyText(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_COPY_CHARS) {
    throw new VaultError('invalid_input', 'Nothing to copy, or too much (at most 1,000,000 characters)', { field: 'text' });
  }
  return text;
}
