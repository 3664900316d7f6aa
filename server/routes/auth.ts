/** Accounts and sessions: register, prelogin, login (throttled), password change (re-authenticated), logout. */
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { KdfParams } from '../auth/kdf';
import { requireAuth } from '../auth/middleware';
import { hashPassword, needsRehash } from '../auth/password';
import { preloginKdf } from '../auth/prelogin';
import { consumeInvite, registrationMode, restoreInvite } from '../auth/registration';
import { checkPassword, countAttempt, countFailure, countSuccess, throttleKeys } from '../auth/throttle';
import { issueToken, revokeOtherTokens, revokeToken } from '../auth/tokens';
import { memberships, orgs, users } from '../db/schema';
import type { Deps } from '../deps';
import { ApiError, conflict, forbidden, sqlState, unauthorized } from '../errors';
import type { AppEnv } from '../http/env';
import { addressBucket } from '../http/client-address';
import { applyLimit, clientAddress } from '../http/rate-limit';
import { SharedLimiter } from '../http/shared-limiter';
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
  // Held to the extension's floors and caps (auth/kdf.ts): `iterations: 1` would be handed to every
  // new device at prelogin, which then refuses it, or a weaker client would derive with it.
  kdf: KdfParams.nullish(),
  keys: opaqueJson,
  /** The one-use code an operator printed, when registration is by invitation. */
  invite: z.string().max(128).optional(),
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

  // Sign-ups create rows: limited per address and across the server, over
  // every attempt whatever its outcome (OWASP API Security Top 10 2023, API6 "Unrestricted Access
  // to Sensitive Business Flows"). Counted in the database, so they hold across server processes.
  const { perAddress: addressLimit, perServer: serverLimit, windowSeconds } = config.registration;
  const perAddress = new SharedLimiter(db, deps.preloginSecret, 'register:address', addressLimit, windowSeconds);
  const perServer = new SharedLimiter(db, deps.preloginSecret, 'register:server', serverLimit, windowSeconds);

  app.post('/register', async (c) => {
    await applyLimit(c, perAddress, addressBucket(clientAddress(c)));
    await applyLimit(c, perServer, 'server');
    const body = await readJson(c, RegisterBody);
    // invite and closed answer before anything looks at the e-mail: the same answer, in the same
    // time, for a taken and a free one (auth/registration.ts).
    const mode = await registrationMode(db, config.registration.mode);
    if (mode === 'closed')
      throw forbidden('Registration is closed on this server. Ask its operator for an account.', 'registration_closed');
    const invite = mode === 'invite' && body.invite ? await consumeInvite(db, body.invite) : null;
    if (mode === 'invite' && !invite) {
      throw forbidden('This server registers new accounts by invitation: enter a valid invite code from its operator.', 'invite_required');
    }
    try {
      return await createAccount(body, c);
    } catch (error) {
      // Used up only by an answer about the e-mail (created, or taken): a failure (the database's, or a busy server's 503) or a
      // failure hands it back for the retry.
      if (invite && !(error instanceof ApiError && error.status === 409)) await restoreInvite(db, invite);
      throw error;
    }
  });

  async function createAccount(body: z.output<typeof RegisterBody>, c: Context<AppEnv>) {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email));
    if (existing) throw conflict('An account with this e-mail address already exists.');
    const passwordHash = hashPassword(body.password);
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
  }

  // One lookup, the same statement whether or not the address has an account (see prelogin.ts).
  app.get('/prelogin', async (c) => {
    const address = parseWith(email, c.req.query('email') ?? '');
    const [user] = await db.select({ kdf: users.kdf }).from(users).where(eq(users.email, address));
    return c.json({ kdf: preloginKdf(deps.preloginSecret, address, user?.kdf) });
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginBody);
    const keys = throttleKeys(deps.preloginSecret, body.email, addressBucket(clientAddress(c)));
    await countAttempt(db, keys, config.login); // before the password is checked: see throttle.ts
    const [user] = await db.select().from(users).where(eq(users.email, body.email));
    // Unknown e-mails are checked against a dummy hash so both failures take as long.
    const ok = await checkPassword(db, keys, deps, body.password, user?.passwordHash ?? deps.dummyPasswordHash);
    if (!user || !ok) {
      await countFailure(db, keys, config.login);
      throw unauthorized('Wrong e-mail or password.');
    }
    await countSuccess(db, keys, config.login);
    // Said only after the password is proven, so it tells nobody else the account exists.
    if (user.disabledAt) throw forbidden('This account is disabled. Ask the operator of this server.', 'account_disabled');
    const passwordHash = needsRehash(user.passwordHash) ? hashPassword(body.password) : undefined;
    await db
      .update(users)
      .set({ lastSeenAt: new Date(), ...(passwordHash ? { passwordHash } : {}) })
      .where(eq(users.id, user.id));
    // Maybe the last of an earlier server's hashes: sign-ins stop paying for them once none remain.
    if (passwordHash) void deps.legacyHashes.refresh(db).catch(() => undefined);
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
    const throttle = throttleKeys(deps.preloginSecret, user.email, addressBucket(clientAddress(c)));
    await countAttempt(db, throttle, config.login);
    const ok = await checkPassword(db, throttle, deps, body.current_password, user.passwordHash);
    if (!ok) {
      await countFailure(db, throttle, config.login);
      throw unauthorized('Wrong current password.');
    }
    await countSuccess(db, throttle, config.login);
    const passwordHash = hashPassword(body.password);
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
