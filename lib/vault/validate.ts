import { invalid } from './errors';

export const MAX_KEY_LENGTH = 256;
export const MAX_NAME_LENGTH = 128;
export const MAX_PATH_LENGTH = 512;
export const MAX_TAG_LENGTH = 64;
export const MAX_COMMENT_LENGTH = 10_000;

// Control characters would make a key or path ambiguous in a list, a .env file or a URL.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Secret key: anything printable on one line, 1–256 characters, no leading/trailing spaces. */
export function checkKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) throw invalid(field, 'errKeyEmpty');
  if (key.length > MAX_KEY_LENGTH) throw invalid(field, 'errKeyTooLong', MAX_KEY_LENGTH);
  if (CONTROL.test(key)) throw invalid(field, 'errKeyOneLine');
  if (key.trim() !== key) throw invalid(field, 'errKeySpaces');
  return key;
}

/**
 * Paths are absolute: `/`, `/api`, `/api/v2`. Repeated and trailing slashes are dropped, so
 * `/api/` and `//api` are the same path as `/api`.
 */
export function normalisePath(path: unknown, field = 'secretPath'): string {
  if (path === undefined || path === null || path === '') return '/';
  if (typeof path !== 'string') throw invalid(field, 'errPathNotText');
  if (!path.startsWith('/')) throw invalid(field, 'errPathSlash', path);
  if (CONTROL.test(path)) throw invalid(field, 'errPathOneLine');
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw invalid(field, 'errPathDots');
  const normal = `/${segments.join('/')}`;
  if (normal.length > MAX_PATH_LENGTH) throw invalid(field, 'errPathTooLong', MAX_PATH_LENGTH);
  return normal;
}

/** A path filter: empty or absent means every path (Phase semantics). */
export function pathFilter(path: unknown, field = 'secretPath'): string | null {
  if (path === undefined || path === null || path === '') return null;
  return normalisePath(path, field);
}

export function checkTags(tags: unknown, field = 'tags'): string[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw invalid(field, 'errTagsList');
  const out: string[] = [];
  for (const raw of tags) {
    if (typeof raw !== 'string') throw invalid(field, 'errTagText');
    const tag = raw.trim();
    if (tag === '') continue;
    if (tag.length > MAX_TAG_LENGTH) throw invalid(field, 'errTagTooLong', MAX_TAG_LENGTH);
    if (CONTROL.test(tag)) throw invalid(field, 'errTagOneLine');
    if (!out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}

export function checkComment(comment: unknown, field = 'comment'): string {
  if (comment === undefined || comment === null) return '';
  if (typeof comment !== 'string') throw invalid(field, 'errCommentText');
  if (comment.length > MAX_COMMENT_LENGTH) throw invalid(field, 'errCommentTooLong', MAX_COMMENT_LENGTH);
  return comment;
}

export function checkValue(value: unknown, field = 'value'): string {
  if (typeof value !== 'string') throw invalid(field, 'errValueText');
  return value;
}

/** Safe and environment names: 1–128 characters on one line, trimmed. */
export function checkName(name: unknown, what: 'Safe' | 'Environment', field = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalid(field, what === 'Safe' ? 'errSafeNameEmpty' : 'errEnvNameEmpty');
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) throw invalid(field, what === 'Safe' ? 'errSafeNameTooLong' : 'errEnvNameTooLong', MAX_NAME_LENGTH);
  if (CONTROL.test(trimmed)) throw invalid(field, what === 'Safe' ? 'errSafeNameOneLine' : 'errEnvNameOneLine');
  return trimmed;
}

export function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

/** An encryption key's value: an AES-256 key as 64 hex characters (the Toolkit's `key`). */
export function checkEncryptionKey(value: string, field = 'value'): void {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw invalid(field, 'errEncryptionKeyValue');
}
