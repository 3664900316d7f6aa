/**
 * Periodic clean-up, run at start and hourly: purge old tombstones (raising the horizon), drop
 * tokens that expired a day ago and invites past their time, forget failed-login counters quiet for a day and not locked
 * (unknown e-mails are counted too, so without this the table would only grow) and request counters whose window ended.
 */
import { and, isNull, lt, or } from 'drizzle-orm';
import type { Config } from './config';
import { invites, loginThrottle, rateCounters, tokens } from './db/schema';
import type { Db } from './db/types';
import { purgeTombstones } from './sync/purge';

const DAY_MS = 24 * 3600 * 1000;

export async function housekeeping(db: Db, config: Config, now = new Date()) {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const tombstones = await purgeTombstones(db, config.tombstoneRetentionSeconds);
  const expiredTokens = await db.delete(tokens).where(lt(tokens.expiresAt, dayAgo)).returning({ hash: tokens.hash });
  const staleAttempts = await db
    .delete(loginThrottle)
    .where(and(lt(loginThrottle.updatedAt, dayAgo), or(isNull(loginThrottle.lockedUntil), lt(loginThrottle.lockedUntil, now))))
    .returning({ key: loginThrottle.key });
  const expiredInvites = await db.delete(invites).where(lt(invites.expiresAt, now)).returning({ hash: invites.hash });
  const endedWindows = await db.delete(rateCounters).where(lt(rateCounters.endsAt, now)).returning({ key: rateCounters.key });
  return {
    tombstones,
    tokens: expiredTokens.length,
    loginAttempts: staleAttempts.length,
    invites: expiredInvites.length,
    rateCounters: endedWindows.length,
  };
}
