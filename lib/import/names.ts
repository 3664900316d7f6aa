// Turns names from another manager (folders, vaults, items, fields) into Keysmith paths and keys.
import { MAX_KEY_LENGTH, MAX_PATH_LENGTH } from '../vault/validate';

// Control characters would make a key or path ambiguous on screen or in a .env file.
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/**
 * A key from a name: one line, trimmed, at most the vault's length. Anything printable stays as
 * it is: `../etc/passwd` is a key like any other, never a location (keys are not paths).
 */
export function keyFrom(...parts: string[]): string {
  const key = parts
    .map((p) => p.replace(CONTROL, ' ').trim())
    .filter((p) => p !== '')
    .join(' ');
  return (key || 'Untitled').slice(0, MAX_KEY_LENGTH).trim();
}

/**
 * A path under `base` from folder names. A folder named `a/b` (Bitwarden's nesting) gives two
 * segments; `.` and `..` segments are renamed `_` rather than followed, so no name from the file
 * can climb above the chosen base path (the "zip slip" of directory traversal, CWE-22).
 */
export function pathFrom(base: string, ...folders: string[]): string {
  const segments = [base, ...folders]
    .flatMap((f) => f.replace(CONTROL, ' ').split('/'))
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === '.' || s === '..' ? '_' : s));
  const path = `/${segments.join('/')}`;
  return path.length > MAX_PATH_LENGTH ? path.slice(0, MAX_PATH_LENGTH).replace(/\/+$/, '') : path;
}
