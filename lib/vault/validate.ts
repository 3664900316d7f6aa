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
  if (typeof key !== 'string' || key.length === 0) throw invalid(field, 'Key must not be empty');
  if (key.length > MAX_KEY_LENGTH) throw invalid(field, `Key must be at most ${MAX_KEY_LENGTH} characters`);
  if (CONTROL.test(key)) throw invalid(field, 'Key must be on one line, without control characters');
  if (key.trim() !== key) throw invalid(field, 'Key must not start or end with a space');
  return key;
}

/**
 * Paths are absolute: `/`, `/api`, `/api/v2`. Repeated and trailing slashes are dropped, so
 * `/api/` and `//api` are the same path as `/api`.
 */
export function normalisePath(path: unknown, field = 'secretPath'): string {
  if (path === undefined || path === null || path === '') return '/';
  if (typeof path !== 'string') throw invalid(field, 'Path must be text such as / or /api');
  if (!path.startsWith('/')) throw invalid(field, `Path must start with / (for example /${path})`);
  if (CONTROL.test(path)) throw invalid(field, 'Path must be on one line, without control characters');
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw invalid(field, 'Path must not contain . or .. segments');
  const normal = '/' + segments.join('/');
  if (normal.length > MAX_PATH_LENGTH) throw invalid(field, `Path must be at most ${MAX_PATH_LENGTH} characters`);
  return normal;
}

/** A path filter: empty or absent means every path (Phase semantics). */
export function pathFilter(path: unknown, field = 'secretPath'): string | null {
  if (path === undefined || path === null || path === '') return null;
  return normalisePath(path, field);
}

export function checkTags(tags: unknown, field = 'tags'): string[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw invalid(field, 'Tags must be a list of words');
  const out: string[] = [];
  for (const raw of tags) {
    if (typeof raw !== 'string') throw invalid(field, 'Each tag must be text');
    const tag = raw.trim();
    if (tag === '') continue;
    if (tag.length > MAX_TAG_LENGTH) throw invalid(field, `A tag must be at most ${MAX_TAG_LENGTH} characters`);
    if (CONTROL.test(tag)) throw invalid(field, 'A tag must be on one line');
    if (!out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}

export function checkComment(comment: unknown, field = 'comment'): string {
  if (comment === undefined || comment === null) return '';
  if (typeof comment !== 'string') throw invalid(field, 'Comment must be text');
  if (comment.length > MAX_COMMENT_LENGTH) throw invalid(field, `Comment must be at most ${MAX_COMMENT_LENGTH} characters`);
  return comment;
}

export function checkValue(value: unknown, field = 'value'): string {
  if (typeof value !== 'string') throw invalid(field, 'Value must be text');
  return value;
}

/** Safe and environment names: 1–128 characters on one line, trimmed. */
export function checkName(name: unknown, what: 'Safe' | 'Environment', field = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalid(field, `${what} name must not be empty`);
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) throw invalid(field, `${what} name must be at most ${MAX_NAME_LENGTH} characters`);
  if (CONTROL.test(trimmed)) throw invalid(field, `${what} name must be on one line`);
  return trimmed;
}

export function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}
