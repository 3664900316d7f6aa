/**
 * Caps on what an import reads, checked before any parsing: a file from elsewhere may be damaged
 * or built to exhaust the browser (a "zip bomb", a JSON nested a million levels deep, OWASP's
 * "Denial of Service" cheat sheet, "Input validation"). 16 MiB holds about 50,000 logins in any of
 * the formats; the secrets then cross extension messaging (64 MiB at most in Chrome) with room left.
 */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
/** A 1PUX's export.data once unzipped, and all its entries together. */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;
export const MAX_IMPORT_SECRETS = 20_000;
/** The deepest real export (Bitwarden, 1PUX) nests about 8 levels; 64 leaves room and stops stack exhaustion. */
export const MAX_JSON_DEPTH = 64;
