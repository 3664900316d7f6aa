/**
 * Request parsing: JSON bodies and query strings through zod schemas, with a 400 that names
 * the field to fix. Body size is enforced earlier by the body-limit middleware (413).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, badRequest } from '../errors';

export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is invalid.';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * NUL and unpaired UTF-16 surrogates, which JSON and JavaScript strings allow but no database text
 * does: PostgreSQL's text and jsonb refuse U+0000 and lone surrogates (an error, which would be a
 * 500), and encoding them to UTF-8 would silently change them (U+FFFD). With the `u` flag, \p{Cs}
 * matches only a surrogate that is not half of a pair (RFC 8259 §8.2: such strings are not
 * interoperable).
 */
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** The path of the first string (value or object key) holding NUL or an unpaired surrogate, or null. */
function unstorablePath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path.join('.') || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return [...path, key.replace(/[\u0000\p{Cs}]/gu, '?')].join('.');
      const found = unstorablePath(child, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Every body and query goes through here, so no route can hand such a string to the database. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const unstorable = unstorablePath(value);
  if (unstorable !== null) {
    throw badRequest(`${unstorable}: text may not contain NUL characters or unpaired UTF-16 surrogates.`, 'invalid_text');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(describeIssue(result.error), 'invalid_input');
  return result.data;
}

/**
 * JSON bodies only with `Content-Type: application/json`. A web page can make a visitor's browser
 * send a cross-origin `text/plain` or form POST without a CORS preflight (a "simple request", Fetch
 * standard §3.2.3); requiring the JSON type forces a preflight this server grants only to the
 * extension's own pages (cors.ts), so no web page can drive logins or writes from its visitors'
 * browsers (CSRF).
 */
function requireJsonContentType(c: Context): void {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON, with Content-Type: application/json.');
  }
}

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  requireJsonContentType(c);
  let body: unknown;
  try {
    const text = await c.req.text();
    body = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw badRequest('The request body is not valid JSON.', 'malformed_json');
    throw error;
  }
  return parseWith(schema, body);
}
