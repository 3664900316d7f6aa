/**
 * The largest backup file accepted, checked before any key derivation, by the page and again by
 * the vault. Chrome's extension messaging carries at most 64 MiB, so a page could not hand over a
 * larger one anyway; an export that would be larger is refused before anything is saved. How many
 * secrets that holds, with and without history: docs/vault.md, "Backups".
 */
export const MAX_BACKUP_BYTES = 48 * 1024 * 1024;
