/**
 * The largest backup file accepted, checked before any key derivation, by the page and again by
 * the vault. Chrome's extension messaging carries at most 64 MiB, so a page could not hand over a
 * larger one anyway; an export that would be larger is refused before anything is saved. 48 MiB holds
 * about 21,000 secrets never edited, or 3,100 with a full history of 20 versions (docs/vault.md, "Backups").
 */
export const MAX_BACKUP_BYTES = 48 * 1024 * 1024;
