/**
 * Headers on every answer, errors and preflights included:
 *
 * - `Cache-Control: no-store`: answers carry bearer tokens, wrapped keys and ciphertext; no browser,
 *   proxy or CDN cache may keep a copy on disk or hand it to another client (RFC 9111 §5.2.2.5;
 *   OWASP ASVS 5.0 V14.3.2, "sensitive data is not cached").
 * - `X-Content-Type-Options: nosniff`: a browser must take `application/json` as JSON and never
 *   sniff an answer into HTML or script (MIME confusion, Fetch standard §3.5.1; ASVS V3.4.4).
 *
 * Mounted outermost so nothing, not even a CORS preflight answered early, leaves without them.
 */
import type { MiddlewareHandler } from 'hono';

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
};
