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

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
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
