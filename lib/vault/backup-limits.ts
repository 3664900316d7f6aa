/**
 * The largest backup file accepted, checked before any key derivation, by the page and again by
 * the vault. Chrome's extension messaging carries at most 64 MiB, so a page could not hand over a
 * larger one anyway; 48 MiB is about 50,000 secrets (a backup takes roughly 0.9 KiB per secret
 * with a 50-character value).
 */
export const MAX_BACKUP_BYTES = 48 * 1024 * 1024;
