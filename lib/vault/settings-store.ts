// Reads and writes the vault's settings, sealed with the vault key; the rules for each value live in settings.ts.
import { openJson, sealJson } from './cipher';
import { SETTINGS_AD } from './associated-data';
import type { VaultContext } from './context';
import { invalid, VaultError } from './errors';
import { DEFAULT_KDF, kdfChoiceOf } from './kdf-params';
import type { AccountRecord, SealedSettingsRecord, SettingsRecord } from './schema';
import { unlocked } from './session-keys';
import { isAutoLockChoice, isClipboardSeconds, isDeviceName, MAX_CLIPBOARD_SECONDS, MAX_DEVICE_NAME } from './settings';
import type { Author, VaultSettings } from './types';
import { msg } from '../i18n';

export const DEFAULT_SETTINGS: SettingsRecord = { autoLockMinutes: 15, clipboardClearSeconds: 30 };

/**
 * The settings, for the vault's owner only (unlocked). A sealed record that fails to open, or holds
 * values outside the rules, was edited outside Keysmith: the defaults apply (15-minute auto-lock,
 * 30-second clipboard clearing), never what the edit asked for.
 */
export async function getSettings(ctx: VaultContext): Promise<VaultSettings> {
  const { vaultKey } = await unlocked(ctx);
  const tx = ctx.db.transaction('meta');
  const [stored, account] = await Promise.all([tx.store.get('settings'), tx.store.get('account')]);
  await tx.done;
  const a = account as AccountRecord | undefined;
  let settings = DEFAULT_SETTINGS;
  if (a && stored && 'sealed' in stored) {
    settings = await openJson<SettingsRecord>(vaultKey, stored.sealed, SETTINGS_AD(a.id)).then(valid, () => DEFAULT_SETTINGS);
  } else if (stored && 'autoLockMinutes' in stored) {
    settings = valid(stored); // 0.1.0's clear record, until sealSettings runs at unlock
  }
  return { ...settings, kdf: a ? kdfChoiceOf(a.kdf) : DEFAULT_KDF, deviceName: settings.deviceName ?? ctx.deviceName };
}

export async function updateSettings(ctx: VaultContext, partial: Partial<VaultSettings>): Promise<VaultSettings> {
  const current = await getSettings(ctx);
  const next: SettingsRecord = {
    autoLockMinutes: current.autoLockMinutes,
    clipboardClearSeconds: current.clipboardClearSeconds,
    ...(current.deviceName !== ctx.deviceName ? { deviceName: current.deviceName } : {}),
  };
  if (partial.autoLockMinutes !== undefined) {
    if (!isAutoLockChoice(partial.autoLockMinutes)) {
      throw invalid('autoLockMinutes', 'errAutoLock');
    }
    next.autoLockMinutes = partial.autoLockMinutes;
  }
  if (partial.clipboardClearSeconds !== undefined) {
    const seconds = partial.clipboardClearSeconds;
    if (!isClipboardSeconds(seconds)) {
      throw invalid('clipboardClearSeconds', 'errClipboardSeconds', MAX_CLIPBOARD_SECONDS);
    }
    next.clipboardClearSeconds = seconds;
  }
  if (partial.deviceName !== undefined) {
    const name = checkDeviceName(partial.deviceName);
    // Empty: back to the default this browser gives itself.
    if (name === '') delete next.deviceName;
    else next.deviceName = name;
  }
  if (partial.kdf !== undefined && JSON.stringify(partial.kdf) !== JSON.stringify(current.kdf)) {
    throw invalid('kdf', 'errKdfNeedsPassword');
  }
  await writeSettings(ctx, next);
  return {
    autoLockMinutes: next.autoLockMinutes,
    clipboardClearSeconds: next.clipboardClearSeconds,
    kdf: current.kdf,
    deviceName: next.deviceName ?? ctx.deviceName,
  };
}

/** Seals a clear record left by 0.1.0 (called at unlock); a sealed record is left as it is. */
export async function sealLegacySettings(ctx: VaultContext): Promise<void> {
  const stored = await ctx.db.get('meta', 'settings');
  if (stored && 'autoLockMinutes' in stored) await writeSettings(ctx, valid(stored));
}

/** The record for a new vault, sealed under its fresh vault key. */
export async function sealedDefaults(vaultKey: CryptoKey, accountId: string): Promise<SealedSettingsRecord> {
  return { sealed: await sealJson(vaultKey, DEFAULT_SETTINGS, SETTINGS_AD(accountId)) };
}

async function writeSettings(ctx: VaultContext, settings: SettingsRecord): Promise<void> {
  const { vaultKey } = await unlocked(ctx);
  const account = (await ctx.db.get('meta', 'account')) as AccountRecord | undefined;
  if (!account) throw new VaultError('not_initialised', msg('errNoVault'));
  const record: SealedSettingsRecord = { sealed: await sealJson(vaultKey, settings, SETTINGS_AD(account.id)) };
  await ctx.db.put('meta', record, 'settings');
}

function valid(s: SettingsRecord): SettingsRecord {
  if (!isAutoLockChoice(s?.autoLockMinutes) || !isClipboardSeconds(s?.clipboardClearSeconds)) return DEFAULT_SETTINGS;
  const out: SettingsRecord = { autoLockMinutes: s.autoLockMinutes, clipboardClearSeconds: s.clipboardClearSeconds };
  if (isDeviceName(s.deviceName)) out.deviceName = s.deviceName;
  return out;
}

function checkDeviceName(value: unknown): string {
  if (typeof value !== 'string') throw invalid('deviceName', 'errDeviceName', MAX_DEVICE_NAME);
  const name = value.trim();
  if (name !== '' && !isDeviceName(name)) throw invalid('deviceName', 'errDeviceName', MAX_DEVICE_NAME);
  return name;
}

/** Who writes versions of secrets here (history.ts): the device's name as the user set it, else the default. */
export async function authorOf(ctx: VaultContext): Promise<Author> {
  return { device: (await getSettings(ctx)).deviceName };
}
