/**
 * The Toolkit "Keys & Encryption" routes, thin wrappers over lib/toolkit.ts with the same
 * snake_case fields. lib/toolkit validates every field and throws CryptoError, which the error
 * handler turns into 400.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { decrypt, encrypt, generateKey, generateKeypair } from '../../lib/toolkit';
import type { DecryptRequest, EncryptRequest, GenerateKeypairRequest, GenerateKeyRequest } from '../../lib/toolkit';
import { requireAuth } from '../auth/middleware';
import type { Deps } from '../deps';
import { badRequest, tooManyRequests } from '../errors';
import type { AppEnv } from '../http/env';
import { readJson } from '../http/validate';

/** Field checks are lib/toolkit's job; here we only require a JSON object. */
const AnyObject = z.record(z.string(), z.unknown(), { message: 'The body must be a JSON object.' });

/**
 * The most PBKDF2 iterations a request may ask for: the extension's own maximum. Without a cap one
 * request for 10,000,000 iterations costs about 2 s of CPU (resource exhaustion, CWE-400).
 */
export const TOOLKIT_MAX_ITERATIONS = 2_000_000;

function checkIterations(body: Record<string, unknown>): void {
  const { iterations } = body;
  if (typeof iterations === 'number' && iterations > TOOLKIT_MAX_ITERATIONS) {
    throw badRequest(`iterations must be at most ${TOOLKIT_MAX_ITERATIONS.toLocaleString('en')}.`, 'invalid_input');
  }
}

export function toolkitRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth(deps.tokenLimiter));

  // Key generation and PBKDF2 are CPU work on the server's few cores: each user gets a couple of
  // requests in progress at once, and waits (429, Retry-After) beyond that.
  const inProgress = new Map<string, number>();
  app.use('*', async (c, next) => {
    const user = c.get('userId');
    const running = inProgress.get(user) ?? 0;
    if (running >= deps.config.toolkitConcurrencyPerUser) {
      throw tooManyRequests(1, 'Too many Toolkit requests at once: wait for the ones in progress.');
    }
    inProgress.set(user, running + 1);
    try {
      // PBKDF2 and key pairs share the server-wide CPU budget with sign-ins (cpu-budget.ts).
      await deps.cpu.run('other', next);
    } finally {
      const left = (inProgress.get(user) ?? 1) - 1;
      if (left > 0) inProgress.set(user, left);
      else inProgress.delete(user);
    }
  });

  app.get('/generate-key', async (c) => {
    const q = c.req.query();
    let length: number | undefined;
    if (q.length !== undefined && q.length !== '') {
      length = Number(q.length);
      if (!Number.isFinite(length)) throw badRequest('length must be a number.', 'invalid_input');
    }
    const request = {
      type: q.type || undefined,
      prefix: q.prefix || undefined,
      length,
    } as unknown as GenerateKeyRequest;
    return c.json(await generateKey(request));
  });

  app.post('/generate-keypair', async (c) => {
    const body = (await readJson(c, AnyObject)) as unknown as GenerateKeypairRequest;
    return c.json(await generateKeypair(body));
  });

  app.post('/encrypt', async (c) => {
    const raw = await readJson(c, AnyObject);
    checkIterations(raw);
    return c.json(await encrypt(raw as unknown as EncryptRequest));
  });

  app.post('/decrypt', async (c) => {
    const raw = await readJson(c, AnyObject);
    checkIterations(raw);
    return c.json(await decrypt(raw as unknown as DecryptRequest));
  });

  return app;
}
