/** Accounts and sessions: register, prelogin, login (throttled), password change (re-authenticated), logout. */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { KdfParams } from '../auth/kdf';
import { requireAuth } from '../auth/middleware';
import { hashPassword, needsRehash, verifyPassword } from '../auth/password';
import { preloginKdf } from '../auth/prelogin';
import { countAttempt, countSuccess, throttleKeys } from '../auth/throttle';
import { issueToken, revokeOtherTokens, revokeToken } from '../auth/tokens';
import { memberships, orgs, users } from '../db/schema';
import type { Deps } from '../deps';
import { conflict, forbidden, sqlState, unauthorized } from '../errors';
import type { AppEnv } from '../http/env';
import { clientAddress } from '../http/rate-limit';
import { parseWith, readJson } from '../http/validate';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid e-mail address.' }).max(254));
const opaqueJsonValue = z.union([z.string().max(65536), z.record(z.string(), z.unknown())]);
const opaqueJson = opaqueJsonValue.nullish();

export const RegisterBody = z.object({
  email,
  password: z.string().min(8, 'Password must be at least 8 characters.').max(1024),
  kdf: z.record(z.string(), z.unknown()).nullish(),
  keys: opaqueJson,
});
export const LoginBody = z.object({ email, password: z.string().min(1).max(1024) });
/**
 * A new password comes with the KDF and wrapped keys made from it, all required: a second device
 * derives with prelogin's kdf and opens `keys` with the result, so all three change together.
 */
export const ChangePasswordBody = z.object({
  current_password: LoginBody.shape.password,
  password: RegisterBody.shape.password,
  kdf: KdfParams,
  keys: opaqueJsonValue,
});

export function authRoutes(deps: Deps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();

  app.post('/register', async (c) => {
    const body = await readJson(c, RegisterBody);
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email));
    if (existing) throw conflict('An account with this e-mail address already exists.');
    const passwordHash = await hashPassword(body.password, config.scryptCost);
    const userId = randomUUID();
    const orgId = randomUUID();
    try {
      await db.transaction(async (tx) => {
        await tx.insert(orgs).values({ id: orgId, name: 'Personal' });
        await tx.insert(users).values({
          id: userId,
          email: body.email,
          passwordHash,
          kdf: body.kdf ?? null,
          keys: body.keys ?? null,
          personalOrgId: orgId,
        });
        await tx.insert(memberships).values({ orgId, userId, role: 'owner' });
      });
    } catch (error) {
      if (sqlState(error) === '23505') throw conflict('An account with this e-mail address already exists.');
      throw error;
    }
    return c.json({ user_id: userId, org_id: orgId }, 201);
  });

  // One lookup, the same statement whether or not the address has an account (see prelogin.ts).
  app.get('/prelogin', async (c) => {
    const address = parseWith(email, c.req.query('email') ?? '');
    const [user] = await db.select({ kdf: users.kdf }).from(users).where(eq(users.email, address));
    return c.json({ kdf: preloginKdf(deps.preloginSecret, address, user?.kdf) });
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginBody);
    const keys = throttleKeys(deps.preloginSecret, body.email, clientAddress(c));
    await countAttempt(db, keys, config.login); // before the password is checked: see throttle.ts
    const [user] = await db.select().from(users).where(eq(users.email, body.email));
    // Unknown e-mails are checked against a dummy hash so both failures take as long.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? deps.dummyPasswordHash);
    if (!user || !ok) throw unauthorized('Wrong e-mail or password.');
    await countSuccess(db, keys, config.login);
    // Said only after the password is proven, so it tells nobody else the account exists.
    if (user.disabledAt) throw forbidden('This account is disabled. Ask the operator of this server.', 'account_disabled');
    const passwordHash = needsRehash(user.passwordHash, config.scryptCost)
      ? await hashPassword(body.password, config.scryptCost)
      : undefined;
    await db
      .update(users)
      .set({ lastSeenAt: new Date(), ...(passwordHash ? { passwordHash } : {}) })
      .where(eq(users.id, user.id));
    const token = await issueToken(db, user.id, config.tokenTtlSeconds);
    return c.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: config.tokenTtlSeconds,
      keys: user.keys ?? null,
    });
  });

  /**
   * A bearer token alone must not be enough to replace the login material: whoever stole one
   * (session hijacking) could otherwise lock the owner out for good (account takeover). So the
   * current auth secret is checked again, like a login (OWASP ASVS 5.0 V6.2.3, 4.0.3 V2.1.6), and
   * its guesses count toward the same lockout, keyed by the account's e-mail and the client address.
   */
  app.post('/password', requireAuth(deps.tokenLimiter), async (c) => {
    const body = await readJson(c, ChangePasswordBody);
    const userId = c.get('userId');
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    if (!user) throw unauthorized();
    const throttle = throttleKeys(deps.preloginSecret, user.email, clientAddress(c));
    await countAttempt(db, throttle, config.login);
    if (!(await verifyPassword(body.current_password, user.passwordHash))) throw unauthorized('Wrong current password.');
    await countSuccess(db, throttle, config.login);
    const passwordHash = await hashPassword(body.password, config.scryptCost);
    const revoked = await db.transaction(async (tx) => {
      // Only over the hash just verified: of two changes racing, the second finds it gone.
      const [changed] = await tx
        .update(users)
        .set({ passwordHash, kdf: body.kdf, keys: body.keys })
        .where(and(eq(users.id, userId), eq(users.passwordHash, user.passwordHash)))
        .returning({ id: users.id });
      if (!changed) throw conflict('The password was changed meanwhile. Sign in again with the new one.');
      return revokeOtherTokens(tx, userId, c.get('token'));
    });
    return c.json({ revoked_sessions: revoked });
  });

  app.post('/logout', requireAuth(deps.tokenLimiter), async (c) => {
    await revokeToken(db, c.get('token'));
    return c.body(null, 204);
  });

  return app;
}

