/**
 * CORS for the extension's own pages, and for nothing else.
 *
 * The popup and options pages run at `chrome-extension://<id>` (Chromium: 32 letters a–p) or
 * `moz-extension://<uuid>` (Firefox: a per-install UUID); their calls carry Authorization and a
 * JSON body, so the browser sends a preflight first and lets the page read an answer only if it
 * names that origin. Those origins get one, echoed back.
 *
 * Any other Origin — a web page — gets no Access-Control-* header at all, on the preflight or on
 * the answer, so no page can read this API's answers or send it JSON from a visitor's browser (the
 * 415 rule in validate.ts relies on that preflight failing). Hono's `cors()` alone is not enough
 * for that: with an origin function that refuses, it still answers every OPTIONS with 204 and the
 * allowed methods and headers, and adds Access-Control-Expose-Headers to every answer. So it only
 * runs for extension origins; everything else passes through untouched.
 *
 * Mounted outermost, so errors (401, 413, 429 with Retry-After) are readable by the extension too;
 * preflights are answered before the rate limiter and never reach a route.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

const EXTENSION_ORIGIN =
  /^(?:chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const isExtensionOrigin = (origin: string | undefined): origin is string => origin !== undefined && EXTENSION_ORIGIN.test(origin);

/** Chromium caps a cached preflight at 2 hours (Firefox at 24 hours); longer would only be cut. */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

const forExtension = cors({
  origin: (origin) => (isExtensionOrigin(origin) ? origin : null),
  allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type', 'X-Active-Org-Id'],
  exposeHeaders: ['Retry-After', 'x-ratelimit-limit', 'x-ratelimit-remaining'],
  maxAge: PREFLIGHT_MAX_AGE_SECONDS,
});

export const extensionCors: MiddlewareHandler = async (c, next) => {
  if (isExtensionOrigin(c.req.header('origin'))) return forExtension(c, next);
  // The answer depends on Origin either way: tell caches, so none hands this one to the extension.
  // Set before the route runs, so it goes out with the answer as it is made: `c.header` on a
  // finished answer rebuilds it as a streamed Response, which cost ~15% of an idle sync poll's CPU
  // (bench/server.ts profiled with the inspector).
  c.header('Vary', 'Origin', { append: true });
  await next();
};
