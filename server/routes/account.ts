/**
 * `DELETE /api/v1/account`: the owner deletes their account and everything only it holds.
 *
 * A bearer token alone is not enough: whoever stole one (session hijacking) could otherwise destroy
 * the owner's data, so the auth secret is checked again as at login (OWASP ASVS 5.0 V6.2.3, "re-
 * authentication before sensitive operations"), with its guesses counted toward the same lockout.
 * Then, in one transaction: every org the account owns with no other owner (its personal org
 * among them) goes, and with it that org's safes, items and memberships; then the user, whose
 * tokens and remaining memberships go with it (GDPR Art. 17, erasure).
 */
import { Hono } from 'hono';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { requireAuth } from '../auth/middleware';
import { checkPassword, countAttempt, countFailure, countSuccess, throttleKeys } from '../auth/throttle';
import { memberships, orgs, users } from '../db/schema';
import type { Deps } from '../deps';
import { unauthorized } from '../errors';
import { addressBucket } from '../http/client-address';
import type { AppEnv } from '../http/env';
import { clientAddress } from '../http/rate-limit';
import { readJson } from '../http/validate';
import { LoginBody } from './auth';

export const DeleteAccountBody = z.object({ password: LoginBody.shape.password });

export function accountRoutes(deps: Deps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();

  app.delete('/', requireAuth(deps.tokenLimiter), async (c) => {
    const body = await readJson(c, DeleteAccountBody);
    const userId = c.get('userId');
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    if (!user) throw unauthorized();
    const throttle = throttleKeys(deps.preloginSecret, user.email, addressBucket(clientAddress(c)));
    await countAttempt(db, throttle, config.login);
    if (!(await checkPassword(db, throttle, deps, body.password, user.passwordHash))) {
      await countFailure(db, throttle, config.login);
      throw unauthorized('Wrong password: the account was not deleted.');
    }
    await countSuccess(db, throttle, config.login);

    const removedOrgs = await db.transaction(async (tx) => {
      const otherOwners = tx
        .select({ orgId: memberships.orgId })
        .from(memberships)
        .where(and(eq(memberships.role, 'owner'), ne(memberships.userId, userId)));
      const alone = await tx
        .select({ orgId: memberships.orgId })
        .from(memberships)
        .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner'), sql`${memberships.orgId} not in ${otherOwners}`));
      const orgIds = [...new Set([...alone.map((row) => row.orgId), user.personalOrgId])];
      // Cascades to the orgs' memberships, safes and items (db/schema.ts).
      const removed = await tx.delete(orgs).where(inArray(orgs.id, orgIds)).returning({ id: orgs.id });
      // Cascades to the user's tokens and any memberships left.
      const [gone] = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
      if (!gone) throw unauthorized();
      return removed.length;
    });
    return c.json({ deleted: true, removed_orgs: removedOrgs });
  });

  return app;
}
