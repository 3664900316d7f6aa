// Reads and writes the vault's settings; the rules for each value live in settings.ts.
import { DEFAULT_KDF, kdfChoiceOf } from './kdf-params';
import type { VaultContext } from './context';
import { invalid } from './errors';
import type { AccountRecord, SettingsRecord } from './schema';
import { isAutoLockChoice, isClipboardSeconds, MAX_CLIPBOARD_SECONDS } from './settings';
import type { VaultSettings } from './types';

export const DEFAULT_SETTINGS: SettingsRecord = { autoLockMinutes: 15, clipboardClearSeconds: 30 };

// Not secret: the background needs them while locked.
export async function getSettings(ctx: VaultContext): Promise<VaultSettings> {
  const tx = ctx.db.transaction('meta');
  const [settings, account] = await Promise.all([tx.store.get('settings'), tx.store.get('account')]);
  await tx.done;
  const s = (settings as SettingsRecord | undefined) ?? DEFAULT_SETTINGS;
  return {
    autoLockMinutes: s.autoLockMinutes,
    clipboardClearSeconds: s.clipboardClearSeconds,
    kdf: account ? kdfChoiceOf((account as AccountRecord).kdf) : DEFAULT_KDF,
  };
}

export async function updateSettings(ctx: VaultContext, partial: Partial<VaultSettings>): Promise<VaultSettings> {
  const current = await getSettings(ctx);
  const next: SettingsRecord = {
    autoLockMinutes: current.autoLockMinutes,
    clipboardClearSeconds: current.clipboardClearSeconds,
  };
  if (partial.autoLockMinutes !== undefined) {
    if (!isAutoLockChoice(partial.autoLockMinutes)) {
      throw invalid('autoLockMinutes', 'Auto-lock must be 1, 5, 15 or 60 minutes, 4 hours, or only on browser restart');
    }
    next.autoLockMinutes = partial.autoLockMinutes;
  }
  if (partial.clipboardClearSeconds !== undefined) {
    const seconds = partial.clipboardClearSeconds;
    if (!isClipboardSeconds(seconds)) {
      throw invalid('clipboardClearSeconds', `Clipboard clearing must be 0 (never) to ${MAX_CLIPBOARD_SECONDS} seconds`);
    }
    next.clipboardClearSeconds = seconds;
  }
  if (partial.kdf !== undefined && JSON.stringify(partial.kdf) !== JSON.stringify(current.kdf)) {
    throw invalid('kdf', 'Changing the key derivation needs your master password (use setKdf)');
  }
  await ctx.db.put('meta', next, 'settings');
  return { ...next, kdf: current.kdf };
}
