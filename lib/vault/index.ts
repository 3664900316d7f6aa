/**
 * lib/vault — the zero-knowledge vault over IndexedDB (idb). Pure TypeScript, no `browser.*`:
 * it runs in the extension's service worker and in Node 20 with fake-indexeddb.
 *
 * Key hierarchy (docs/vault.md): masterKey = Argon2id(master password, 16-byte salt, 64 MiB,
 * 3 passes, 4 lanes) for new vaults, or PBKDF2-HMAC-SHA256 with 600,000–2,000,000 iterations;
 * checkKdf holds every source of parameters to the floors. HKDF-SHA256 splits it into wrapKey
 * (wraps the random vaultKey) and authSecret (sync login, returned on request, never stored). Each
 * safe has a random safeKey wrapped by vaultKey; settings and personal overrides are sealed with
 * vaultKey. While unlocked, the keys live in memory only, and the vault key's bytes wait in the
 * injected session store (storage.session in the extension) for a restarted worker; lock() drops
 * both. Every ciphertext is AES-256-GCM; what syncs is bound to its safe, environment, id, field and
 * version (`keysmith/v2/…`, binding.ts), what stays here by `keysmith/v1/<kind>/<id>/<field>`.
 *
 * ```ts
 * const vault = await openVault();                       // { dbName?, indexedDB?, now?, session? }
 * await vault.setup('correct horse battery staple');      // Personal org + safe "Personal" with
 *                                                         // Development, Staging, Production (protected); unlocked
 * await vault.unlock(pw, { returnAuthSecret? })           // → { authSecret?: hex }
 *   // VaultError 'wrong_password' | 'throttled' (retryAfterMs) | 'kdf_below_floor' | 'kdf_out_of_range' | 'not_initialised'
 * await vault.lock();  vault.isUnlocked();  vault.isInitialised();  vault.status();  vault.open({ safeId?, envId? });
 * await vault.changeMasterPassword(current, next, { kdf?, returnAuthSecret? });   // next: ≥ 12 characters
 * await vault.setKdf(masterPassword, { name: 'Argon2id', memoryKiB, passes, parallelism } | { name: 'PBKDF2-HMAC-SHA256', iterations });
 * await vault.getSettings();   // { autoLockMinutes: 1|5|15|60|240|null, clipboardClearSeconds: 0–3600, kdf }
 * await vault.updateSettings({ autoLockMinutes: 5 });   // unlocked only (sealed with the vault key)
 *
 * await vault.listSafes();     // [{ id, name, environments: [{ id, name, protected }], error? }]
 * await vault.createSafe(name) → { id };  renameSafe(id, name);  deleteSafe(id);
 * await vault.createEnvironment(safeId, name, { protected? }) → { id };
 * await vault.updateEnvironment(envId, { name?, protected? });  deleteEnvironment(envId);
 * await vault.countSecrets({ safeId } | { envId }) → { secrets, environments }   // what a deletion removes
 *
 * await vault.search(query, { safeId?, envId? }, limit?) → { hits, total }   // every safe; prepareSearch() reads names ahead
 * await vault.listSecrets(safeId, envId);   // names only, from the encrypted index:
 *   // [{ id, key, path, tags, comment, overridden, hasOverride } | { id, error }]
 * await vault.revealSecret(id);             // { value, overridden } — override value while active
 *
 * // Phase SDK operations. A safe by safeName or safeId (Phase's appName/appId are accepted here only),
 * // an environment by envName (case-insensitive) or envId
 * await vault.create({ appName, envName, keyValuePairs, secretPath? })  → Secret[]   (all or none)
 * await vault.get({ appName, envName, keyToFind?, tag?, secretPath? })  → Secret[] (+ .damaged)
 * await vault.update({ appName, envName, key | id, value?, secretPath?, destinationPath?,
 *                      override?, toggleOverride?, deleteOverride?, newKey?, tags?, comment? }) → Secret
 * await vault.delete({ appName, envName, keyToDelete | id, secretPath? });  deleteById(id);
 *
 * // References (Phase's ${KEY}, ${env.KEY}, ${env./path/KEY}, ${/path/KEY}, ${safe::env.KEY}, $${ for a literal)
 * await vault.resolveValue(id, { keep? })  → { value, references, protectedEnv?, kept }   // never stored
 * await vault.usedBy(id) → SearchHit[];  updateReferrers({ id, from: { key, path } }) → number changed
 * await vault.indexOlderReferences() → done?   // once per vault after unlock: call until true (upgrade.ts)
 * // Rotation: update({ …, rotation: { due?: 'YYYY-MM-DD', everyDays? } | null, rotated?: true })
 * await vault.dueForRotation() → SearchHit[]   // due today or earlier, most overdue first
 *
 * await vault.importDotenv({ safeName | safeId, envName | envId, secretPath?, text, onConflict?: 'skip'|'overwrite'|'error' })
 *   → { created, updated, skipped }        // default onConflict 'error': nothing written
 * await vault.exportDotenv({ safeName | safeId, envName | envId, secretPath?, keepUnresolved? }) → string   // shared values of one path, references resolved
 * await vault.exportBackup(password) → string   // Toolkit encrypt JSON
 * await vault.restoreBackup(text, password, currentMasterPassword?)  // ≤ 48 MiB; over a vault, needs its master password; leaves it LOCKED
 * ```
 *
 * Errors a user can cause are VaultError { code, message, field?, retryAfterMs? }; see errors.ts.
 * Paths: '/' by default, must start with '/', '/api/' ≡ '/api'. In get, an empty or absent path
 * means every path; in create/update/delete/import/export it means '/'.
 * Keys: 1–256 characters, one line, no leading/trailing space; unique per environment and path.
 */
export { openVault, Vault, DEFAULT_ENVIRONMENTS, AUTO_LOCK_CHOICES, wrongPasswordDelayMs } from './vault';
export type { OpenVaultOptions } from './vault';
export { VaultError, isVaultError, DAMAGED_MESSAGE } from './errors';
export type { VaultErrorCode } from './errors';
export { KDF_MIN_ITERATIONS, KDF_MAX_ITERATIONS, KDF_DEFAULT_ITERATIONS, ARGON2_LIMITS, DEFAULT_KDF, checkKdf } from './kdf-params';
export type { KdfChoice, KdfParams } from './kdf-params';
export { parseDotenv, formatDotenv } from './dotenv';
export type * from './types';
