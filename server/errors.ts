/**
 * The API's error shape, `{error: {code, message}}`, and the one place that turns any thrown
 * value into it. Unknown errors become a bare 500: internals go to the log, never to the client.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isCryptoError } from '../lib/toolkit';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'invalid_request') => new ApiError(400, code, message);
export const unauthorized = (message = 'Sign in again: the access token is missing, expired or revoked.') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string, code = 'forbidden') => new ApiError(403, code, message);
export const notFound = (message = 'Not found.') => new ApiError(404, 'not_found', message);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
export const tooManyRequests = (retryAfterSeconds: number, message: string) =>
  new ApiError(429, 'rate_limited', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });

export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json({ error: { code: error.code, message: error.message } }, error.status);
}

export function handleError(error: unknown, c: Context): Response {
  if (error instanceof ApiError) return errorResponse(c, error);
  if (isCryptoError(error)) return errorResponse(c, new ApiError(400, error.code, error.message));
  console.error('[keysmith] unhandled error on %s %s:', c.req.method, c.req.path, error);
  return errorResponse(c, new ApiError(500, 'internal', 'Something went wrong on the server. Try again later.'));
}

/** PostgreSQL's SQLSTATE of a driver error, looking through Drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
