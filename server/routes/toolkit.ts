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
import { badRequest } from '../errors';
import type { AppEnv } from '../http/env';
import { readJson } from '../http/validate';

/** Field checks are lib/toolkit's job; here we only require a JSON object. */
const AnyObject = z.record(z.string(), z.unknown(), { message: 'The body must be a JSON object.' });

export function toolkitRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth(deps.tokenLimiter));

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
    const body = (await readJson(c, AnyObject)) as unknown as EncryptRequest;
    return c.json(await encrypt(body));
  });

  app.post('/decrypt', async (c) => {
    const body = (await readJson(c, AnyObject)) as unknown as DecryptRequest;
    return c.json(await decrypt(body));
  });

  return app;
}
